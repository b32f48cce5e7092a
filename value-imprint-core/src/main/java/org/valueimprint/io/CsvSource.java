package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * CSV or TSV with a header row: each row becomes an object of strings keyed by the header. Quoted fields may span
 * lines. A syntax error ends the read with the line it is on.
 */
final class CsvSource implements RawSource {
    private final MappingIterator<JsonNode> rows;
    private final String file;
    private long index;

    CsvSource(InputStream in, String file, char separator, ReadOptions options) throws IOException {
        this.file = file;
        CsvFactory factory = CsvFactory.builder().streamReadConstraints(Jackson.constraints(options)).build();
        CsvMapper mapper = new CsvMapper(factory);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separator);
        InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        this.rows = mapper.readerFor(JsonNode.class).with(schema).readValues(reader);
    }

    @Override
    public RawRecord next() {
        try {
            if (!rows.hasNextValue()) {
                return null;
            }
            long line = rows.getCurrentLocation().getLineNr();
            JsonNode node = rows.nextValue();
            return RawRecord.of(node, index++, Math.max(0, line));
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException ? (IOException) e
                    : e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getMessage(), e);
            long line = Jackson.lineOf(io);
            throw new DatasetReadException(Jackson.kindOf(io), file, line, index, Jackson.describe(io), e);
        }
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }

}
