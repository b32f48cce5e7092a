package org.valueimprint.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * The forward pass of a post-LayerNorm BERT encoder (as exported by Hugging Face to ONNX) in DJL operations: word,
 * position and token-type embeddings with LayerNorm, then self-attention and a GELU (erf form) feed-forward block per
 * layer, each followed by a residual connection and LayerNorm (eps 1e-12). Parameters are looked up by Hugging Face
 * name in a map of arrays, linear weights in the ONNX {@code [in, out]} layout.
 *
 * <p>DJL puts an operation's result in the memory scope of its first operand, so every operation here takes the
 * activation first: results live in the caller's (per-batch) manager, never beside the weights.
 */
public final class BertForward {
    /** LayerNorm's epsilon in BERT. */
    public static final float LAYER_NORM_EPS = 1e-12f;
    private static final float MASKED = -1e9f;

    private final int hidden;
    private final int heads;

    /**
     * @param hidden the hidden size (384 for MiniLM-L6)
     * @param heads the number of attention heads (12 for MiniLM-L6)
     */
    public BertForward(int hidden, int heads) {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
        }
        this.hidden = hidden;
        this.heads = heads;
    }

    /**
     * The embedding layer's output {@code [batch, tokens, hidden]} for token ids {@code [batch, tokens]} (int64), one
     * segment (token type 0).
     */
    public NDArray embeddings(NDArray ids, Map<String, NDArray> p) {
        NDManager m = ids.getManager();
        long tokens = ids.getShape().get(1);
        NDArray words = Embedding.embedding(ids, p.get("embeddings.word_embeddings.weight"), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray positions = m.arange(0, (int) tokens, 1, DataType.INT64);
        NDArray pos = Embedding.embedding(positions, p.get("embeddings.position_embeddings.weight"),
                SparseFormat.DENSE).singletonOrThrow();
        NDArray types = m.zeros(new Shape(tokens), DataType.INT64);
        NDArray type = Embedding.embedding(types, p.get("embeddings.token_type_embeddings.weight"),
                SparseFormat.DENSE).singletonOrThrow();
        NDArray x = words.add(pos.add(type));
        return layerNorm(x, p.get("embeddings.LayerNorm.weight"), p.get("embeddings.LayerNorm.bias"));
    }

    /**
     * An additive attention mask {@code [batch, 1, 1, tokens]}: 0 for real tokens, a large negative number for
     * padding.
     *
     * @param mask {@code [batch, tokens]} float32, 1 for real tokens and 0 for padding
     */
    public static NDArray attentionBias(NDArray mask) {
        long[] s = mask.getShape().getShape();
        return mask.sub(1f).mul(-MASKED).reshape(s[0], 1, 1, s[1]);
    }

    /** Encoder layer {@code layer} applied to {@code x} {@code [batch, tokens, hidden]}. */
    public NDArray layer(int layer, NDArray x, NDArray attentionBias, Map<String, NDArray> p) {
        String n = "encoder.layer." + layer + ".";
        long[] s = x.getShape().getShape();
        long batch = s[0];
        long tokens = s[1];
        int headSize = hidden / heads;
        NDArray q = linear(x, p, n + "attention.self.query").reshape(batch, tokens, heads, headSize)
                .transpose(0, 2, 1, 3);
        NDArray k = linear(x, p, n + "attention.self.key").reshape(batch, tokens, heads, headSize)
                .transpose(0, 2, 3, 1);
        NDArray v = linear(x, p, n + "attention.self.value").reshape(batch, tokens, heads, headSize)
                .transpose(0, 2, 1, 3);
        NDArray scores = q.matMul(k).div((float) Math.sqrt(headSize)).add(attentionBias);
        NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden);
        NDArray attended = layerNorm(linear(context, p, n + "attention.output.dense").add(x),
                p.get(n + "attention.output.LayerNorm.weight"), p.get(n + "attention.output.LayerNorm.bias"));
        NDArray intermediate = Activation.gelu(linear(attended, p, n + "intermediate.dense"));
        return layerNorm(linear(intermediate, p, n + "output.dense").add(attended),
                p.get(n + "output.LayerNorm.weight"), p.get(n + "output.LayerNorm.bias"));
    }

    /**
     * Masked mean pooling of {@code x} {@code [batch, tokens, hidden]}, L2-normalised when asked: the sentence
     * embedding {@code [batch, hidden]}.
     */
    public static NDArray meanPool(NDArray x, NDArray mask, boolean normalize) {
        NDArray m = mask.expandDims(2);
        NDArray pooled = x.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
        if (!normalize) {
            return pooled;
        }
        NDArray norm = pooled.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f);
        return pooled.div(norm);
    }

    private static NDArray linear(NDArray x, Map<String, NDArray> p, String name) {
        return x.matMul(p.get(name + ".weight")).add(p.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(hidden), gamma, beta, LAYER_NORM_EPS).singletonOrThrow();
    }
}
