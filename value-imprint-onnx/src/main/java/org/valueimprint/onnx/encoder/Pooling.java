package org.valueimprint.onnx.encoder;

/** How the token vectors of a transformer's last hidden state become one vector per sequence. */
public enum Pooling {
    /**
     * The mean of the vectors of the real tokens (attention mask 1, special tokens included, padding excluded), the
     * way sentence-transformers pools all-MiniLM-L6-v2 and e5.
     */
    MEAN,
    /** The vector of the first token ({@code [CLS]}), the way bge pools. */
    CLS,
    /**
     * No pooling: the model already gives one vector per sequence, a float output {@code [batch, k]} (such as the
     * {@code logits} of a Hugging Face sequence-classification export, or a sentence-transformers
     * {@code sentence_embedding}), which is returned as is (then L2-normalised only when the options say so). The
     * encoder reads the output named {@code logits}, else {@code sentence_embedding}, else the first float output of
     * rank 2. Never the default of a source.
     */
    NONE
}
