package org.valueimprint.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * The pages of one row group's requested column chunks, read from the file in one piece per chunk and decompressed
 * one page at a time as the record reader asks for them. Memory is bounded by the row group's compressed size plus
 * one decompressed page per column.
 */
final class RowGroupPages implements PageReadStore {
    private final long rows;
    private final Map<List<String>, ChunkPages> chunks = new HashMap<>();

    private RowGroupPages(long rows) {
        this.rows = rows;
    }

    /**
     * Reads the chunks of {@code columns} in a row group.
     *
     * @throws IOException when a chunk lies outside the file, its pages cannot be parsed, or its codec is not read
     */
    static RowGroupPages read(FileChannel channel, RowGroup group, List<ColumnDescriptor> columns) throws IOException {
        RowGroupPages pages = new RowGroupPages(group.getNum_rows());
        Map<List<String>, ColumnChunk> byPath = new HashMap<>();
        for (ColumnChunk chunk : group.getColumns()) {
            byPath.put(chunk.getMeta_data().getPath_in_schema(), chunk);
        }
        long size = channel.size();
        for (ColumnDescriptor column : columns) {
            List<String> path = Arrays.asList(column.getPath());
            ColumnChunk chunk = byPath.get(path);
            if (chunk == null || !chunk.isSetMeta_data()) {
                throw new IOException("column " + String.join(".", path) + " has no chunk in the row group");
            }
            if (chunk.isSetCrypto_metadata()) {
                throw new IOException("column " + String.join(".", path) + " is encrypted: not supported");
            }
            ColumnMetaData meta = chunk.getMeta_data();
            if (!Decompression.supported(meta.getCodec())) {
                throw new Decompression.UnsupportedCodecException(meta.getCodec());
            }
            long start = meta.getData_page_offset();
            if (meta.isSetDictionary_page_offset() && meta.getDictionary_page_offset() > 0
                    && meta.getDictionary_page_offset() < start) {
                start = meta.getDictionary_page_offset();
            }
            long length = meta.getTotal_compressed_size();
            if (start < 4 || length < 0 || length > Integer.MAX_VALUE - 16) {
                throw new IOException("column " + String.join(".", path) + " has an impossible chunk position");
            }
            if (start + length > size) {
                throw new java.io.EOFException("column " + String.join(".", path) + " ends at byte "
                        + (start + length) + ", past the end of the file (" + size + " bytes)");
            }
            byte[] bytes = new byte[(int) length];
            ParquetFooter.readFully(channel, start, bytes);
            pages.chunks.put(path, new ChunkPages(String.join(".", path), meta.getCodec(), meta.getNum_values(),
                    bytes));
        }
        return pages;
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor descriptor) {
        ChunkPages chunk = chunks.get(Arrays.asList(descriptor.getPath()));
        if (chunk == null) {
            throw new ParquetDecodingException("column " + String.join(".", descriptor.getPath()) + " was not read");
        }
        return chunk;
    }

    @Override
    public long getRowCount() {
        return rows;
    }

    /** The pages of one column chunk: headers parsed up front, bodies decompressed when asked for. */
    private static final class ChunkPages implements PageReader {
        private final String column;
        private final CompressionCodec codec;
        private final long values;
        private final byte[] bytes;
        private DictionaryPage dictionary;
        private final Deque<Page> pages = new ArrayDeque<>();

        private record Page(PageHeader header, int offset) {}

        ChunkPages(String column, CompressionCodec codec, long values, byte[] bytes) throws IOException {
            this.column = column;
            this.codec = codec;
            this.values = values;
            this.bytes = bytes;
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            long seen = 0;
            while (seen < values && in.available() > 0) {
                PageHeader header;
                try {
                    header = Util.readPageHeader(in);
                } catch (IOException | RuntimeException e) {
                    throw new IOException("column " + column + ": a page header cannot be read: " + e.getMessage(), e);
                }
                int offset = bytes.length - in.available();
                int compressed = header.getCompressed_page_size();
                if (compressed < 0 || compressed > in.available()) {
                    throw new java.io.EOFException("column " + column + ": a page of " + compressed
                            + " bytes runs past the end of its column chunk");
                }
                in.skip(compressed);
                switch (header.getType()) {
                    case DICTIONARY_PAGE:
                        dictionary = dictionaryPage(header, offset);
                        break;
                    case DATA_PAGE:
                        seen += header.getData_page_header().getNum_values();
                        pages.add(new Page(header, offset));
                        break;
                    case DATA_PAGE_V2:
                        seen += header.getData_page_header_v2().getNum_values();
                        pages.add(new Page(header, offset));
                        break;
                    default:
                        break; // index pages carry nothing a record needs
                }
            }
        }

        private DictionaryPage dictionaryPage(PageHeader header, int offset) throws IOException {
            byte[] data = Decompression.decompress(codec, bytes, offset, header.getCompressed_page_size(),
                    header.getUncompressed_page_size());
            return new DictionaryPage(BytesInput.from(data), header.getUncompressed_page_size(),
                    header.getDictionary_page_header().getNum_values(),
                    encoding(header.getDictionary_page_header().getEncoding()));
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return values;
        }

        @Override
        public DataPage readPage() {
            Page page = pages.poll();
            if (page == null) {
                return null;
            }
            PageHeader h = page.header();
            try {
                if (h.getType() == org.apache.parquet.format.PageType.DATA_PAGE) {
                    DataPageHeader d = h.getData_page_header();
                    byte[] data = Decompression.decompress(codec, bytes, page.offset(), h.getCompressed_page_size(),
                            h.getUncompressed_page_size());
                    return new DataPageV1(BytesInput.from(data), d.getNum_values(), h.getUncompressed_page_size(),
                            null, encoding(d.getRepetition_level_encoding()),
                            encoding(d.getDefinition_level_encoding()), encoding(d.getEncoding()));
                }
                DataPageHeaderV2 d = h.getData_page_header_v2();
                int rl = d.getRepetition_levels_byte_length();
                int dl = d.getDefinition_levels_byte_length();
                int dataCompressed = h.getCompressed_page_size() - rl - dl;
                int dataSize = h.getUncompressed_page_size() - rl - dl;
                if (rl < 0 || dl < 0 || dataCompressed < 0 || dataSize < 0) {
                    throw new IOException("a v2 page's level lengths exceed its size");
                }
                int dataOffset = page.offset() + rl + dl;
                byte[] data = !d.isSetIs_compressed() || d.isIs_compressed()
                        ? Decompression.decompress(codec, bytes, dataOffset, dataCompressed, dataSize)
                        : Arrays.copyOfRange(bytes, dataOffset, dataOffset + dataCompressed);
                return DataPageV2.uncompressed(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
                        BytesInput.from(Arrays.copyOfRange(bytes, page.offset(), page.offset() + rl)),
                        BytesInput.from(Arrays.copyOfRange(bytes, page.offset() + rl, page.offset() + rl + dl)),
                        encoding(d.getEncoding()), BytesInput.from(data), null);
            } catch (IOException e) {
                throw new ParquetDecodingException("column " + column + ": " + e.getMessage(), e);
            }
        }

        private static Encoding encoding(org.apache.parquet.format.Encoding e) {
            return Encoding.valueOf(e.name());
        }
    }
}
