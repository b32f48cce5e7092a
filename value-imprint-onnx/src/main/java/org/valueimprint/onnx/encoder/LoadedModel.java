package org.valueimprint.onnx.encoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.hash.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.internal.AttentionFusion;
import org.valueimprint.onnx.internal.OrtSessions;

/**
 * The native half of an encoder, shared by every open {@link OnnxTextEncoder} of one spec ({@link SharedModels}): the
 * ONNX Runtime session on the model's bytes, the Hugging Face tokenizer, and what loading learnt about them (SHA-256,
 * inputs, outputs, padding id, special tokens). Thread-safe; closed by {@link SharedModels} when its last encoder
 * closes.
 */
final class LoadedModel {
    private static final System.Logger LOG = System.getLogger(OnnxTextEncoder.class.getName());
    final String location;
    final String sha256;
    final OrtSession session;
    final HuggingFaceTokenizer tokenizer;
    final long padId;
    final boolean hasTokenTypes;
    final Map<String, NodeInfo> outputs;
    final OnnxTextEncoder.Template template;
    /** How many self-attention subgraphs {@link AttentionFusion} fused in the graph the session runs (0: none). */
    final int fusedAttentionLayers;
    /** The dimension each probed configuration gave, so that encoders sharing the model probe it once. */
    private final Map<String, Integer> probes = new ConcurrentHashMap<>();

    private LoadedModel(String location, String sha256, OrtSession session, HuggingFaceTokenizer tokenizer,
            long padId, int fusedAttentionLayers) {
        this.location = location;
        this.fusedAttentionLayers = fusedAttentionLayers;
        this.sha256 = sha256;
        this.session = session;
        this.tokenizer = tokenizer;
        this.padId = padId;
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
            this.outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelException("cannot read the inputs and outputs of " + location + ": " + e.getMessage(), e);
        }
        OnnxTextEncoder.checkInputs(location, inputs);
        this.hasTokenTypes = inputs.containsKey("token_type_ids");
        this.template = OnnxTextEncoder.template(tokenizer);
    }

    /**
     * Reads {@code source}'s model (running its transforms), fuses its attention when {@code settings} say so
     * ({@link AttentionFusion}; a graph ONNX Runtime refuses fused is run as it is, with a warning), opens an ONNX
     * Runtime session on it with {@code settings}, and loads its tokenizer with DJL's settings in place only for the
     * duration ({@link DjlSetup}).
     *
     * @throws ModelException if a file is missing or unreadable, or the model's inputs are not a text encoder's
     */
    static LoadedModel load(EncoderSource source, SessionSettings settings) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String sha256;
        OrtSession session;
        int fusedLayers = 0;
        try (OrtSession.SessionOptions sessionOptions = OrtSessions.options(settings)) {
            byte[] bytes = null;
            Path model = null;
            if (source.modelPath().isPresent()) {
                model = source.modelPath().get();
                if (!Files.isRegularFile(model)) {
                    throw new ModelException("no " + EncoderSource.MODEL_FILE + " in " + model.getParent());
                }
                if (settings.fusesAttention() && OrtSessions.roomToFuse(Files.size(model))) {
                    bytes = Files.readAllBytes(model);
                    sha256 = Hashing.sha256().hashBytes(bytes).toString();
                } else {
                    sha256 = com.google.common.io.Files.asByteSource(model.toFile()).hash(Hashing.sha256())
                            .toString();
                }
            } else {
                bytes = source.readModelBytes();
                sha256 = Hashing.sha256().hashBytes(bytes).toString();
            }
            Optional<AttentionFusion.Fused> fused = bytes != null && settings.fusesAttention()
                    && OrtSessions.roomToFuse(bytes.length)
                    ? AttentionFusion.fuse(bytes)
                    : Optional.empty();
            OrtSession fusedSession = null;
            if (fused.isPresent()) {
                try {
                    fusedSession = env.createSession(fused.get().model(), sessionOptions);
                    fusedLayers = fused.get().layers();
                } catch (OrtException e) {
                    LOG.log(System.Logger.Level.WARNING, "ONNX Runtime refused the attention-fused graph of "
                            + source.location() + " (" + e.getMessage() + "); running the model as it is");
                }
            }
            if (fusedSession != null) {
                session = fusedSession;
            } else if (model != null) {
                session = env.createSession(model.toString(), sessionOptions);
            } else {
                session = env.createSession(bytes, sessionOptions);
            }
        } catch (OrtException e) {
            throw new ModelException("cannot load the ONNX model " + source.location() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelException("cannot read the ONNX model " + source.location() + ": " + e.getMessage(), e);
        }
        HuggingFaceTokenizer tokenizer = null;
        try {
            byte[] json;
            try (InputStream in = source.openTokenizer()) {
                json = in.readAllBytes();
            }
            long padId = OnnxTextEncoder.padId(json, source);
            Map<String, String> tokenizerOptions = new HashMap<>();
            tokenizerOptions.put("padding", "false");
            tokenizerOptions.put("truncation", "false");
            tokenizerOptions.put("addSpecialTokens", "true");
            try {
                tokenizer = DjlSetup.call(() -> {
                    try {
                        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), tokenizerOptions);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (RuntimeException e) {
                throw new ModelException("cannot load the tokenizer of " + source.location() + ": " + e.getMessage(),
                        e);
            }
            return new LoadedModel(source.location(), sha256, session, tokenizer, padId, fusedLayers);
        } catch (IOException e) {
            closeQuietly(session, tokenizer);
            throw new ModelException("cannot read the tokenizer of " + source.location() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session, tokenizer);
            throw e;
        }
    }

    /** The dimension a probe of {@code configuration} gave, or null when it has not been probed. */
    Integer probed(String configuration) {
        return probes.get(configuration);
    }

    /** Remembers the dimension a successful probe of {@code configuration} gave. */
    void rememberProbe(String configuration, int dimension) {
        probes.put(configuration, dimension);
    }

    /** Closes the tokenizer and the session; errors are swallowed (nothing more can be done with them). */
    void close() {
        closeQuietly(session, tokenizer);
    }

    private static void closeQuietly(OrtSession session, HuggingFaceTokenizer tokenizer) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // nothing more can be done with a session that cannot be closed
            }
        }
    }
}
