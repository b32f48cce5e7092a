package org.valueimprint.parquet;

import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.format.CompressionCodec;

/**
 * Page decompression in pure Java (aircompressor and the JDK): no native library and no Hadoop codec. Reads the
 * codecs that pyarrow, Spark and the Hub write: UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW.
 */
final class Decompression {
    /** The codecs read, for messages. */
    static final String SUPPORTED = "UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW";

    /**
     * The largest page read (256 MiB): writers make pages of about 1 MiB, so a larger size is a damaged or hostile
     * header, refused before anything is allocated.
     */
    static final int MAX_PAGE_BYTES = 256 << 20;

    private Decompression() {}

    /** Thrown for a codec this reader does not read. */
    static final class UnsupportedCodecException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedCodecException(CompressionCodec codec) {
            super("compression codec " + codec + " is not supported (supported: " + SUPPORTED + ")");
        }
    }

    /** Whether a codec can be read. */
    static boolean supported(CompressionCodec codec) {
        switch (codec) {
            case UNCOMPRESSED:
            case SNAPPY:
            case GZIP:
            case ZSTD:
            case LZ4_RAW:
                return true;
            default:
                return false;
        }
    }

    /**
     * Decompresses {@code length} bytes at {@code offset} into exactly {@code uncompressedSize} bytes.
     *
     * @throws IOException when the data does not decompress to that size, or the codec is not supported
     */
    static byte[] decompress(CompressionCodec codec, byte[] in, int offset, int length, int uncompressedSize)
            throws IOException {
        if (uncompressedSize < 0 || uncompressedSize > MAX_PAGE_BYTES || length < 0) {
            throw new IOException("a page declares " + uncompressedSize + " bytes uncompressed (" + length
                    + " compressed); pages of more than " + MAX_PAGE_BYTES + " bytes are refused");
        }
        if (codec == CompressionCodec.UNCOMPRESSED) {
            if (length != uncompressedSize) {
                throw new IOException("an uncompressed page of " + length + " bytes declares " + uncompressedSize);
            }
            return java.util.Arrays.copyOfRange(in, offset, offset + length);
        }
        byte[] out = new byte[uncompressedSize];
        int n;
        try {
            switch (codec) {
                case SNAPPY:
                    n = decompress(new SnappyDecompressor(), in, offset, length, out);
                    break;
                case ZSTD:
                    n = decompress(new ZstdDecompressor(), in, offset, length, out);
                    break;
                case LZ4_RAW:
                    n = decompress(new Lz4Decompressor(), in, offset, length, out);
                    break;
                case GZIP:
                    try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
                        n = gz.readNBytes(out, 0, uncompressedSize);
                        if (gz.read() != -1) {
                            n++;
                        }
                    }
                    break;
                default:
                    throw new UnsupportedCodecException(codec);
            }
        } catch (RuntimeException e) { // aircompressor's MalformedInputException and bounds errors
            throw new IOException(codec + " data is corrupt: " + e.getMessage(), e);
        }
        if (n != uncompressedSize) {
            throw new IOException(codec + " data decompresses to " + n + " bytes, not the " + uncompressedSize
                    + " its page declares");
        }
        return out;
    }

    private static int decompress(Decompressor d, byte[] in, int offset, int length, byte[] out) {
        return d.decompress(in, offset, length, out, 0, out.length);
    }
}
