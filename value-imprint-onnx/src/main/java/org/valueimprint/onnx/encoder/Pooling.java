package org.valueimprint.onnx.encoder;

/** How the token vectors of a transformer's last hidden state become one vector per sequence. */
public enum Pooling {
    /**
     * The mean of the vectors of the real tokens (attention mask 1, special tokens included, padding excluded), the
     * way sentence-transformers pools all-MiniLM-L6-v2 and e5.
     */
    MEAN,
    /** The vector of the first token ({@code [CLS]}), the way bge pools. */
    CLS
}
