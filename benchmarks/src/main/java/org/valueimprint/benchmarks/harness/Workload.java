package org.valueimprint.benchmarks.harness;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.valueimprint.data.TextBudget;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/**
 * Texts, their token ids, and the batches they are run in: either exactly the batches the library's encoder forms
 * ({@link #libraryBatches}) or fixed-size batches in input order ({@link #inputOrder}).
 *
 * @param texts the texts, in input order
 * @param tokenIds each text's token ids, special tokens included, unpadded
 * @param batches indices into {@code texts}, one array a batch, in run order; every index appears exactly once
 */
public record Workload(List<String> texts, long[][] tokenIds, List<int[]> batches) {
    /** The character budget of the default model ({@code text_chars} in its manifest). */
    public static final int TEXT_CHARS = 1200;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the texts and batch list; checks that every index appears in exactly one batch. */
    public Workload {
        texts = List.copyOf(texts);
        batches = List.copyOf(batches);
        requireNonNull(tokenIds, "tokenIds");
        if (tokenIds.length != texts.size()) {
            throw new IllegalArgumentException(tokenIds.length + " token sequences for " + texts.size() + " texts");
        }
        boolean[] seen = new boolean[texts.size()];
        for (int[] batch : batches) {
            for (int i : batch) {
                if (i < 0 || i >= seen.length || seen[i]) {
                    throw new IllegalArgumentException("index " + i + " is out of range or in two batches");
                }
                seen[i] = true;
            }
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new IllegalArgumentException("text " + i + " is in no batch");
            }
        }
    }

    /**
     * The batches {@code encoder.embed(texts)} runs: the input cut into windows of the encoder's
     * {@link BatchPolicy#window()} texts, each window planned by {@link BatchPolicy#plan}. Needs one sequence a text
     * (the truncating long-text policy, the default).
     *
     * @throws IllegalStateException if the encoder makes more than one sequence of some text
     */
    public static Workload libraryBatches(OnnxTextEncoder encoder, List<String> texts) {
        int[] lengths = encoder.sequenceLengths(texts);
        if (lengths.length != texts.size()) {
            throw new IllegalStateException("the encoder makes " + lengths.length + " sequences of " + texts.size()
                    + " texts; the harness needs one a text (LongTextPolicy.truncate())");
        }
        BatchPolicy policy = encoder.info().batchPolicy();
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += policy.window()) {
            int end = Math.min(texts.size(), start + policy.window());
            int[] window = java.util.Arrays.copyOfRange(lengths, start, end);
            for (int[] batch : policy.plan(window)) {
                int[] global = new int[batch.length];
                for (int j = 0; j < batch.length; j++) {
                    global[j] = start + batch[j];
                }
                batches.add(global);
            }
        }
        return new Workload(texts, tokenIds(encoder, texts, lengths), batches);
    }

    /** Batches of {@code batchSize} consecutive texts in input order (the last may be smaller). */
    public static Workload inputOrder(OnnxTextEncoder encoder, List<String> texts, int batchSize) {
        return inputOrder(texts, tokenIds(encoder, texts, encoder.sequenceLengths(texts)), batchSize);
    }

    /** Batches of {@code batchSize} consecutive texts in input order, over token ids already made. */
    public static Workload inputOrder(List<String> texts, long[][] tokenIds, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += batchSize) {
            int end = Math.min(texts.size(), start + batchSize);
            int[] batch = new int[end - start];
            for (int j = 0; j < batch.length; j++) {
                batch[j] = start + j;
            }
            batches.add(batch);
        }
        return new Workload(texts, tokenIds, batches);
    }

    private static long[][] tokenIds(OnnxTextEncoder encoder, List<String> texts, int[] lengths) {
        long[][] ids = new long[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encoder.tokenIds(texts.get(i));
            if (ids[i].length != lengths[i]) {
                throw new IllegalStateException("text " + i + ": tokenIds gives " + ids[i].length
                        + " tokens but sequenceLengths " + lengths[i]);
            }
        }
        return ids;
    }

    /** The number of texts. */
    public int size() {
        return texts.size();
    }

    /** Real tokens over all texts. */
    public long realTokens() {
        long n = 0;
        for (long[] ids : tokenIds) {
            n += ids.length;
        }
        return n;
    }

    /** Tokens run, each batch padded to its longest sequence. */
    public long paddedTokens() {
        long n = 0;
        for (int[] batch : batches) {
            int max = 0;
            for (int i : batch) {
                max = Math.max(max, tokenIds[i].length);
            }
            n += (long) max * batch.length;
        }
        return n;
    }

    /**
     * Texts {@code from .. from + count} of an annotated corpus file (JSON lines with a {@code text} field), in file
     * order, each cut to {@value #TEXT_CHARS} characters by {@link TextBudget#chars}.
     *
     * @throws IllegalArgumentException if the file holds fewer texts, naming the file
     * @throws UncheckedIOException if the file cannot be read, or a line is not JSON (naming file and line)
     */
    public static List<String> corpusTexts(Path corpus, int from, int count) {
        TextBudget budget = TextBudget.chars(TEXT_CHARS);
        List<String> texts = new ArrayList<>(count);
        int line = 0;
        int index = 0;
        try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String s;
            while (texts.size() < count && (s = reader.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(s);
                } catch (IOException e) {
                    throw new UncheckedIOException(corpus + " line " + line + " is not JSON: " + e.getMessage(), e);
                }
                JsonNode text = node.get("text");
                if (text == null || !text.isTextual()) {
                    throw new IllegalArgumentException(corpus + " line " + line + " has no text field");
                }
                if (index++ >= from) {
                    texts.add(budget.fit(text.asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + corpus + ": " + e.getMessage(), e);
        }
        if (texts.size() < count) {
            throw new IllegalArgumentException(corpus + " holds only " + index + " texts; asked for "
                    + count + " from text " + from);
        }
        return texts;
    }
}
