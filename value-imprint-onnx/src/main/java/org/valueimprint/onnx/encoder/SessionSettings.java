package org.valueimprint.onnx.encoder;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The settings of the native inference session an encoder runs its model on, in the library's own terms (no ONNX
 * Runtime type appears in the API): thread counts, whether idle threads spin, and the graph optimisation level. Taken
 * from {@link EncoderOptions} by {@link #of(EncoderOptions)}; encoders of the same model with equal settings share
 * one loaded session (see {@link OnnxTextEncoder}).
 *
 * @param intraOpThreads threads inside one operator; 0 lets the runtime choose (the physical cores)
 * @param interOpThreads threads across operators; 0 lets the runtime choose
 * @param spinWait whether idle worker threads spin instead of sleeping
 * @param optimization the graph optimisation level
 * @param fuseAttention whether the library fuses self-attention before the session is made (at
 *     {@link GraphOptimization#EXTENDED} and {@link GraphOptimization#ALL} only; see
 *     {@link EncoderOptions#fuseAttention()})
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, boolean spinWait,
        GraphOptimization optimization, boolean fuseAttention) {
    /** Validates the components. */
    public SessionSettings {
        checkArgument(intraOpThreads >= 0, "intraOpThreads must be at least 0, was %s", intraOpThreads);
        checkArgument(interOpThreads >= 0, "interOpThreads must be at least 0, was %s", interOpThreads);
        requireNonNull(optimization, "optimization");
    }

    /** Whether the model is fused before the session is made: {@link #fuseAttention()} at a fusing level. */
    public boolean fusesAttention() {
        return fuseAttention
                && (optimization == GraphOptimization.EXTENDED || optimization == GraphOptimization.ALL);
    }

    /**
     * The session settings of {@code options}: its thread counts, spinning, optimisation level and attention fusion.
     */
    public static SessionSettings of(EncoderOptions options) {
        requireNonNull(options, "options");
        return new SessionSettings(options.intraOpThreads(), options.interOpThreads(), options.spinWait(),
                options.optimization(), options.fuseAttention());
    }
}
