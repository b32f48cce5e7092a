package org.valueimprint.onnx.internal;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.valueimprint.onnx.encoder.SessionSettings;

/**
 * Not API: the one translation of {@link SessionSettings} into ONNX Runtime's session options, shared by the encoder
 * and by the benchmarks' bare sessions (which must run the model exactly as the encoder does). Public only so that
 * the benchmarks module can reach it; it may change in any release.
 */
public final class OrtSessions {
    private OrtSessions() {}

    /** Models larger than this are run unfused (a byte array holds under 2 GiB). */
    private static final long MAX_FUSED_BYTES = 1L << 30;
    /**
     * Fusing holds the model about three times over (the bytes, the parsed graph, the fused bytes): a model is fused
     * only when this many copies fit in the maximum heap, so that a large model in a small heap still loads, unfused.
     */
    private static final int FUSION_HEAP_COPIES = 4;

    /** Whether a model of {@code bytes} may be fused: under the size cap, and its copies fit in the heap. */
    public static boolean roomToFuse(long bytes) {
        return bytes <= MAX_FUSED_BYTES && bytes * FUSION_HEAP_COPIES <= Runtime.getRuntime().maxMemory();
    }

    /**
     * The graph a session with {@code settings} runs for {@code model}, as the encoder makes it: attention fused
     * ({@link AttentionFusion}) when the settings fuse attention, the model has {@link #roomToFuse room} and the graph
     * has the pattern, else {@code model} itself.
     */
    public static byte[] graph(byte[] model, SessionSettings settings) {
        requireNonNull(model, "model");
        return settings.fusesAttention() && roomToFuse(model.length)
                ? AttentionFusion.fuse(model).map(AttentionFusion.Fused::model).orElse(model)
                : model;
    }

    /**
     * New ONNX Runtime session options for {@code settings}; the caller closes them.
     *
     * @throws OrtException if ONNX Runtime refuses an option
     */
    public static OrtSession.SessionOptions options(SessionSettings settings) throws OrtException {
        requireNonNull(settings, "settings");
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            if (settings.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (settings.interOpThreads() > 0) {
                so.setInterOpNumThreads(settings.interOpThreads());
            }
            String spin = settings.spinWait() ? "1" : "0";
            so.addConfigEntry("session.intra_op.allow_spinning", spin);
            so.addConfigEntry("session.inter_op.allow_spinning", spin);
            so.setOptimizationLevel(switch (settings.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }
}
