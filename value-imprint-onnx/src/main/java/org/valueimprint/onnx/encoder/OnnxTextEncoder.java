package org.valueimprint.onnx.encoder;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.valueimprint.classify.ModelException;

/**
 * A {@link TextEncoder} over ONNX Runtime and a Hugging Face tokenizer (DJL's Rust bindings), for BERT-style
 * sentence-embedding models: the model takes {@code input_ids} and {@code attention_mask} (and
 * {@code token_type_ids} when it declares it), all int64 {@code [batch, sequence]}, and returns the last hidden state,
 * float {@code [batch, sequence, hidden]}; the encoder pools it ({@link Pooling}) and L2-normalises. Under
 * {@link Pooling#NONE} the model pools by itself: its output is float {@code [batch, k]} (such as the {@code logits}
 * of a Hugging Face sequence-classification export) and each row is returned as is, so that models which classify
 * share this class's tokenization, long-text policy and batching.
 *
 * <pre>{@code
 * try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
 *         EncoderOptions.defaults().withLongTextPolicy(LongTextPolicy.windows()))) {
 *     float[][] vectors = encoder.embed(texts); // one unit vector of 384 floats per text, in input order
 *     String provenance = encoder.info().sha256();
 * }
 * }</pre>
 *
 * <p>Loading checks the model and refuses with a {@link ModelException} that says what was found: an unreadable
 * file, inputs other than those above, no float output of rank 3 (rank 2 under {@link Pooling#NONE}), or a model
 * that fails on a sequence of {@link EncoderOptions#maxLength()} tokens (loading runs that probe once, which also
 * reads the dimension).
 *
 * <p>Tokenization: the tokenizer's own padding and truncation settings are switched off (the bundled MiniLM
 * {@code tokenizer.json} pads and truncates to 128); the encoder adds the special tokens of the tokenizer's template
 * itself, cuts long texts by its {@link LongTextPolicy}, and pads each batch to its own longest sequence with the
 * tokenizer's padding id. Nothing is downloaded, and loading leaves the JVM's system properties as it found them:
 * DJL 0.36 takes its settings only from environment variables and system properties, so while the tokenizer is
 * created (and only then, under a lock) the encoder sets, only where the user set neither the environment variable
 * nor the property, {@code ai.djl.offline=true} (unless {@code DJL_OFFLINE} or {@code offline} is set),
 * {@code RUST_FLAVOR=cpu} (the build inside the tokenizers jar), {@code OPT_OUT_TRACKING=true}, and, before DJL's
 * native library is first loaded, when neither {@code ENGINE_CACHE_DIR} nor {@code DJL_CACHE_DIR} is set and DJL's
 * default cache ({@code ~/.djl.ai}, or {@code java.io.tmpdir/.djl.ai} when the home folder is not writable) cannot be
 * written, {@code DJL_CACHE_DIR} to {@code java.io.tmpdir/value-imprint-djl-<user>}, where the native library is
 * extracted; then it puts each back as it was. What cannot be avoided: during that window other threads of the JVM
 * see these properties too.
 *
 * <p>Sharing: encoders of one model and equal {@link SessionSettings} (the same folder with unchanged files, or the
 * same resources and class loader, with the same {@linkplain EncoderSource#withModelTransform transform labels}) share
 * one loaded model (ONNX Runtime session and tokenizer) while any of them is open: the first load reads, transforms and
 * optimises the model; a later one pays none of that. The model is closed when the last encoder sharing it closes.
 * Concurrent first loads of one model load it once. An encoder that becomes unreachable without {@link #close()}
 * gives its share back by itself (through a {@link Cleaner}) and logs a warning, at {@code WARNING} on the
 * {@link System.Logger} named after this class, that names where it was loaded; close encoders (and the classifiers
 * that hold them) to free native memory promptly.
 *
 * <p>Batching follows {@link BatchPolicy}: batches depend on the input list alone. Thread-safe: concurrent calls
 * share the session; {@link #close()} waits for calls in progress. Every tensor and result is closed after each
 * batch, and input tensors are built from direct buffers.
 */
public final class OnnxTextEncoder implements TextEncoder {
    /** Extra content tokens a cut-down start of a long text must hold, so that the cut cannot change its tokens. */
    private static final int CUT_MARGIN = 16;
    /** Characters per token assumed when cutting the start of a long text (English averages about 4.5). */
    private static final int CHARS_PER_TOKEN = 8;

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger(OnnxTextEncoder.class.getName());
    /** Encoders released by the cleaner without {@link #close()}; for tests. */
    private static final AtomicInteger LEAKED = new AtomicInteger();

    private final OrtEnvironment env;
    private final EncoderSource source;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean hasTokenTypes;
    private final String outputName;
    private final long[] head;
    private final long[] headTypes;
    private final long[] tail;
    private final long[] tailTypes;
    private final long contentType;
    private final long padId;
    private final int capacity;
    private final Pooling pooling;
    private final boolean normalize;
    private final String textPrefix;
    private final LongTextPolicy longTextPolicy;
    private final BatchPolicy batchPolicy;
    private final String id;
    private final EncoderInfo info;
    private final int fusedAttentionLayers;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** One sequence handed to the model: the owner text's index (within its window) and its tokens. */
    private record Sequence(int owner, long[] ids, long[] typeIds) {}

    /** The special tokens a tokenizer puts around one text. */
    record Template(long[] head, long[] headTypes, long[] tail, long[] tailTypes, long contentType) {}

    /**
     * Gives an encoder's share of its loaded model back: run once, by {@link #close()} or, when the encoder became
     * unreachable unclosed, by the cleaner, which also logs the leak. Holds no reference to the encoder.
     */
    static final class Release implements Runnable {
        private final SharedModels.Lease lease;
        private final String location;
        private final String createdAt;
        private volatile boolean closed;

        Release(SharedModels.Lease lease, String location, String createdAt) {
            this.lease = lease;
            this.location = location;
            this.createdAt = createdAt;
        }

        @Override
        public void run() {
            if (!closed) {
                LEAKED.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, leakMessage(location, createdAt));
            }
            lease.release();
        }
    }

    /** The warning logged for an encoder (or the classifier holding it) that was never closed. */
    static String leakMessage(String location, String createdAt) {
        return "an encoder of " + location + " (an OnnxTextEncoder, or a classifier holding one) became unreachable"
                + " without close(); it was loaded at " + createdAt + ". Its share of the native model is released"
                + " now; close classifiers and encoders (try-with-resources) to free native memory promptly";
    }

    private OnnxTextEncoder(EncoderSource source, EncoderOptions options, SharedModels.Lease lease,
            String createdAt) {
        LoadedModel model = lease.model();
        this.fusedAttentionLayers = model.fusedAttentionLayers;
        this.env = OrtEnvironment.getEnvironment();
        this.source = source;
        this.session = model.session;
        this.tokenizer = model.tokenizer;
        this.id = source.id();
        this.padId = model.padId;
        this.pooling = options.pooling().orElse(source.defaultPooling());
        this.normalize = options.normalize();
        this.textPrefix = options.textPrefix().orElse(source.defaultTextPrefix());
        this.longTextPolicy = options.longTextPolicy();
        this.batchPolicy = options.batchPolicy();
        String location = source.location();

        this.hasTokenTypes = model.hasTokenTypes;
        this.outputName = chooseOutput(location, model.outputs, pooling);

        Template template = model.template;
        this.head = template.head();
        this.headTypes = template.headTypes();
        this.tail = template.tail();
        this.tailTypes = template.tailTypes();
        this.contentType = template.contentType();
        this.capacity = options.maxLength() - head.length - tail.length;
        if (capacity < 1) {
            throw new IllegalArgumentException("maxLength " + options.maxLength() + " leaves no room for text: the"
                    + " tokenizer adds " + (head.length + tail.length) + " special tokens");
        }
        if (longTextPolicy.mode() == LongTextPolicy.Mode.WINDOWS && longTextPolicy.overlap() >= capacity) {
            throw new IllegalArgumentException("window overlap " + longTextPolicy.overlap() + " must be less than"
                    + " the " + capacity + " text tokens of a window (maxLength " + options.maxLength() + ")");
        }
        String probe = pooling + "/" + outputName + "/" + options.maxLength();
        Integer probed = model.probed(probe);
        int dimension;
        if (probed != null) {
            dimension = probed;
        } else {
            dimension = probe(location, options.maxLength());
            model.rememberProbe(probe, dimension);
        }
        this.info = new EncoderInfo(id, location, model.sha256, dimension, pooling, options.maxLength(), normalize,
                textPrefix, longTextPolicy, batchPolicy);
        this.release = new Release(lease, location, createdAt);
        this.cleanable = CLEANER.register(this, release);
    }

    /** {@link #load(EncoderSource, EncoderOptions)} with {@link EncoderOptions#defaults()}. */
    public static OnnxTextEncoder load(EncoderSource source) {
        return load(source, EncoderOptions.defaults());
    }

    /**
     * Loads and checks the model and tokenizer of {@code source}, runs one probe sequence of
     * {@code options.maxLength()} tokens, and returns a ready encoder.
     *
     * @throws ModelException if a file is missing or unreadable, or the model is not a text encoder (the message
     *     says what was found)
     * @throws IllegalArgumentException if {@code maxLength} leaves no room for text after the special tokens, or a
     *     window overlap is not less than a window's text tokens
     */
    public static OnnxTextEncoder load(EncoderSource source, EncoderOptions options) {
        requireNonNull(source, "source");
        requireNonNull(options, "options");
        String createdAt = creationSite();
        SessionSettings settings = SessionSettings.of(options);
        SharedModels.Lease lease = SharedModels.acquire(new SharedModels.Key(source.sharingKey(), settings),
                () -> LoadedModel.load(source, settings));
        try {
            return new OnnxTextEncoder(source, options, lease, createdAt);
        } catch (RuntimeException | Error e) {
            lease.release();
            throw e;
        }
    }

    /**
     * Where an encoder is being loaded, for the leak warning: the first frames outside this library's own code
     * source (its jar, or its classes folder), found by walking only the top of the stack.
     */
    static String creationSite() {
        CodeSource own = codeSource(OnnxTextEncoder.class);
        String site = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> own == null || !Objects.equals(own, codeSource(f.getDeclaringClass())))
                .limit(4)
                .map(f -> f.toStackTraceElement().toString())
                .collect(Collectors.joining(" <- ")));
        return site.isEmpty() ? "(unknown)" : site;
    }

    private static CodeSource codeSource(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource();
        } catch (SecurityException e) {
            return null;
        }
    }

    /** How many encoders the cleaner has released without {@link #close()} in this JVM; for tests. */
    static int leaked() {
        return LEAKED.get();
    }

    @Override
    public int dimension() {
        return info.dimension();
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    /**
     * How many self-attention layers of the model run as one fused {@code MultiHeadAttention} operator (see
     * {@link EncoderOptions#fuseAttention()}): the model's layer count when fusion applied, 0 when it was off or the
     * graph did not have the pattern.
     */
    public int fusedAttentionLayers() {
        return fusedAttentionLayers;
    }

    @Override
    public float[][] embed(List<String> texts) {
        requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("text " + i + " is null");
            }
        }
        lock.readLock().lock();
        try {
            checkOpen();
            float[][] out = new float[texts.size()][];
            for (int start = 0; start < texts.size(); start += batchPolicy.window()) {
                int end = Math.min(texts.size(), start + batchPolicy.window());
                embedWindow(texts.subList(start, end), out, start);
            }
            return out;
        } finally {
            lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public int countTokens(String text) {
        requireNonNull(text, "text");
        lock.readLock().lock();
        try {
            checkOpen();
            return tokenizer.encode(textPrefix + text, false, false).getIds().length + head.length + tail.length;
        } finally {
            lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The token ids of the first sequence the encoder gives the model for {@code text}, exactly as {@link #embed}
     * builds it: the text prefix, the tokenizer's special tokens, and at most {@link EncoderInfo#maxLength()} tokens
     * in all (the first ones, whatever the long-text policy; under {@link LongTextPolicy.Mode#WINDOWS} a long text
     * gives further sequences). With an attention mask of ones and {@code token_type_ids} of zeros (one segment), these
     * are the inputs that serve a model exported from this encoder, such as
     * {@link org.valueimprint.onnx.export.OnnxExport}'s.
     *
     * @throws IllegalStateException if the encoder is closed
     */
    public long[] tokenIds(String text) {
        requireNonNull(text, "text");
        lock.readLock().lock();
        try {
            checkOpen();
            long[] content = truncatedContent(textPrefix + text);
            return sequence(0, content, 0, content.length).ids();
        } finally {
            lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** The name of the model output this encoder reads, such as {@code last_hidden_state} or {@code logits}. */
    public String outputName() {
        return outputName;
    }

    /**
     * The bytes of the ONNX model file, read again from the encoder's source and checked against
     * {@link EncoderInfo#sha256()}; for tools that rewrite the graph, such as
     * {@link org.valueimprint.onnx.export.OnnxExport}. Works on a closed encoder too.
     *
     * @throws ModelException if the file cannot be read or has changed since the encoder was loaded
     */
    public byte[] modelBytes() {
        byte[] bytes;
        if (source.modelPath().isPresent()) {
            Path model = source.modelPath().get();
            try {
                bytes = Files.readAllBytes(model);
            } catch (IOException e) {
                throw new ModelException("cannot read the ONNX model " + model + ": " + e.getMessage(), e);
            }
        } else {
            bytes = source.readModelBytes();
        }
        String sha256 = Hashing.sha256().hashBytes(bytes).toString();
        if (!sha256.equals(info.sha256())) {
            throw new ModelException("the ONNX model " + source.location() + " has changed since it was loaded:"
                    + " SHA-256 " + sha256 + ", loaded " + info.sha256());
        }
        return bytes;
    }

    /**
     * Closes this encoder, after waiting for its calls in progress, and gives its share of the loaded model back: the
     * model itself is closed when no other open encoder shares it. Later calls do nothing.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.closed = true;
                cleanable.clean();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxTextEncoder[" + id + ", " + info.dimension() + " dims, " + pooling + ", " + info.maxLength()
                + " tokens]";
    }

    // ---- embedding ----

    /** Embeds one window of texts into {@code out[offset...]}. */
    private void embedWindow(List<String> texts, float[][] out, int offset) {
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            sequences.addAll(sequences(i, texts.get(i)));
        }
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).ids().length;
        }
        float[][] pooled = new float[sequences.size()][];
        for (int[] batch : batchPolicy.plan(lengths)) {
            List<Sequence> members = new ArrayList<>(batch.length);
            for (int i : batch) {
                members.add(sequences.get(i));
            }
            float[][] vectors = run(members);
            for (int j = 0; j < batch.length; j++) {
                pooled[batch[j]] = vectors[j];
            }
        }
        // sequences are in owner order: combine each text's run of windows
        int s = 0;
        while (s < sequences.size()) {
            int owner = sequences.get(s).owner();
            int e = s + 1;
            while (e < sequences.size() && sequences.get(e).owner() == owner) {
                e++;
            }
            out[offset + owner] = combine(pooled, s, e);
            s = e;
        }
    }

    /**
     * The token counts of the sequences {@link #embed(List)} would build for {@code texts}, in order (several per
     * text under {@link LongTextPolicy.Mode#WINDOWS}); for measuring padding with {@link BatchPolicy#paddingWaste}.
     *
     * @throws IllegalStateException if the encoder is closed
     */
    public int[] sequenceLengths(List<String> texts) {
        lock.readLock().lock();
        try {
            checkOpen();
            List<Integer> lengths = new ArrayList<>();
            for (String text : texts) {
                for (Sequence s : sequences(0, text)) {
                    lengths.add(s.ids().length);
                }
            }
            return lengths.stream().mapToInt(Integer::intValue).toArray();
        } finally {
            lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** The vector of one text from its window vectors {@code pooled[from..to)}. */
    private float[] combine(float[][] pooled, int from, int to) {
        if (to - from == 1) {
            float[] v = pooled[from];
            return normalize ? normalized(v) : v;
        }
        int d = pooled[from].length;
        double[] sum = new double[d];
        for (int w = from; w < to; w++) {
            float[] v = normalize ? normalized(pooled[w]) : pooled[w];
            for (int k = 0; k < d; k++) {
                sum[k] += v[k];
            }
        }
        float[] mean = new float[d];
        for (int k = 0; k < d; k++) {
            mean[k] = (float) (sum[k] / (to - from));
        }
        return normalize ? normalized(mean) : mean;
    }

    /** The sequences of one text under the long-text policy, in order. */
    private List<Sequence> sequences(int owner, String text) {
        String prefixed = textPrefix + text;
        if (longTextPolicy.mode() == LongTextPolicy.Mode.TRUNCATE) {
            long[] content = truncatedContent(prefixed);
            return List.of(sequence(owner, content, 0, content.length));
        }
        long[] content = tokenizer.encode(prefixed, false, false).getIds();
        List<Sequence> out = new ArrayList<>();
        for (int start : windowStarts(content.length, capacity, longTextPolicy.overlap(),
                longTextPolicy.maxWindows())) {
            out.add(sequence(owner, content, start, Math.min(content.length, start + capacity)));
        }
        return out;
    }

    /**
     * Where the windows of a text of {@code n} content tokens start, for windows of {@code capacity} tokens sharing
     * {@code overlap}: {@code 0} alone when the text fits; otherwise every {@code capacity - overlap} tokens with the
     * last window ending at the last token; or, when that needs more than {@code maxWindows}, {@code maxWindows}
     * starts spread evenly from the first token to {@code n - capacity}.
     */
    static int[] windowStarts(int n, int capacity, int overlap, int maxWindows) {
        if (n <= capacity) {
            return new int[] {0};
        }
        int step = capacity - overlap;
        long needed = 1 + ((long) n - capacity + step - 1) / step;
        if (needed <= maxWindows) {
            int[] starts = new int[(int) needed];
            for (int i = 0; i < starts.length - 1; i++) {
                starts[i] = i * step;
            }
            starts[starts.length - 1] = n - capacity;
            return starts;
        }
        if (maxWindows == 1) {
            return new int[] {0};
        }
        int[] starts = new int[maxWindows];
        for (int i = 0; i < maxWindows; i++) {
            starts[i] = (int) Math.round((double) i * (n - capacity) / (maxWindows - 1));
        }
        return starts;
    }

    /**
     * The first content tokens of a text, at most {@code capacity} of them. A long text is not tokenized whole: a
     * start of it, cut at a whitespace, is tokenized, and used when it holds at least {@code capacity + CUT_MARGIN}
     * tokens. Tokenizers split words at whitespace, so the tokens of such a start equal the first tokens of the whole
     * text; the margin keeps its last, cut-off word out of the result.
     */
    long[] truncatedContent(String text) {
        long cut = (long) CHARS_PER_TOKEN * (capacity + CUT_MARGIN) + 256;
        while (cut < text.length()) {
            int end = whitespaceFrom(text, (int) cut);
            if (end < 0) {
                break;
            }
            long[] ids = tokenizer.encode(text.substring(0, end), false, false).getIds();
            if (ids.length >= capacity + CUT_MARGIN) {
                return Arrays.copyOf(ids, capacity);
            }
            cut *= 4;
        }
        long[] ids = tokenizer.encode(text, false, false).getIds();
        return ids.length <= capacity ? ids : Arrays.copyOf(ids, capacity);
    }

    /** The index of the first whitespace at or after {@code from} within 1,024 characters, or -1. */
    private static int whitespaceFrom(String text, int from) {
        int limit = Math.min(text.length(), from + 1024);
        for (int i = from; i < limit; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The sequence of {@code content[from..to)} with the special tokens around it. */
    private Sequence sequence(int owner, long[] content, int from, int to) {
        int length = head.length + (to - from) + tail.length;
        long[] ids = new long[length];
        long[] types = new long[length];
        System.arraycopy(head, 0, ids, 0, head.length);
        System.arraycopy(headTypes, 0, types, 0, head.length);
        System.arraycopy(content, from, ids, head.length, to - from);
        Arrays.fill(types, head.length, head.length + (to - from), contentType);
        System.arraycopy(tail, 0, ids, length - tail.length, tail.length);
        System.arraycopy(tailTypes, 0, types, length - tail.length, tail.length);
        return new Sequence(owner, ids, types);
    }

    /** Runs one batch, padded to its longest sequence, and pools each sequence's hidden states. */
    private float[][] run(List<Sequence> batch) {
        int b = batch.size();
        int length = 0;
        for (Sequence s : batch) {
            length = Math.max(length, s.ids().length);
        }
        LongBuffer ids = directLongs(b * length);
        LongBuffer mask = directLongs(b * length);
        LongBuffer types = hasTokenTypes ? directLongs(b * length) : null;
        for (Sequence s : batch) {
            int n = s.ids().length;
            ids.put(s.ids());
            mask.put(ones(n));
            if (types != null) {
                types.put(s.typeIds());
            }
            for (int j = n; j < length; j++) {
                ids.put(padId);
                mask.put(0L);
                if (types != null) {
                    types.put(0L);
                }
            }
        }
        ids.rewind();
        mask.rewind();
        if (types != null) {
            types.rewind();
        }
        long[] shape = {b, length};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
                OnnxTensor typeTensor = types == null ? null : OnnxTensor.createTensor(env, types, shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, idTensor);
            inputs.put(ATTENTION_MASK, maskTensor);
            if (typeTensor != null) {
                inputs.put(TOKEN_TYPE_IDS, typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor)) {
                    throw new ModelException("output " + outputName + " of " + id + " is not a tensor");
                }
                OnnxTensor output = (OnnxTensor) value;
                long[] outShape = output.getInfo().getShape();
                if (pooling == Pooling.NONE) {
                    if (outShape.length != 2 || outShape[0] != b || outShape[1] < 1) {
                        throw new ModelException("output " + outputName + " of " + id + " has shape "
                                + Arrays.toString(outShape) + " for input [" + b + ", " + length + "]; expected ["
                                + b + ", k]");
                    }
                    return rows(output.getFloatBuffer(), b, (int) outShape[1]);
                }
                if (outShape.length != 3 || outShape[0] != b || outShape[1] != length || outShape[2] < 1) {
                    throw new ModelException("output " + outputName + " of " + id + " has shape "
                            + Arrays.toString(outShape) + " for input [" + b + ", " + length + "]; expected ["
                            + b + ", " + length + ", hidden]");
                }
                return pool(output.getFloatBuffer(), batch, length, (int) outShape[2]);
            }
        } catch (OrtException e) {
            throw new ModelException("model " + id + " failed on a batch of " + b + " x " + length + " tokens: "
                    + e.getMessage(), e);
        }
    }

    /** The rows of {@code values} ([b, k], row-major). */
    private static float[][] rows(FloatBuffer values, int b, int k) {
        float[][] out = new float[b][k];
        for (int i = 0; i < b; i++) {
            values.get(i * k, out[i]);
        }
        return out;
    }

    /** Pools {@code hidden} ([b, length, d], row-major) per sequence. */
    private float[][] pool(FloatBuffer hidden, List<Sequence> batch, int length, int d) {
        float[][] out = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            out[i] = pooling.pool(hidden, i, length, d, batch.get(i).ids().length);
        }
        return out;
    }

    private static float[] normalized(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (sq == 0) {
            return v.clone();
        }
        double inv = 1 / Math.sqrt(sq);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (float) (v[k] * inv);
        }
        return out;
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1L);
        return a;
    }

    // ---- loading ----

    /** Refuses a model whose inputs are not {@code input_ids}, {@code attention_mask} (and {@code token_type_ids}). */
    static void checkInputs(String location, Map<String, NodeInfo> inputs) {
        boolean ok = inputs.containsKey(INPUT_IDS) && inputs.containsKey(ATTENTION_MASK);
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            String name = input.getKey();
            ok &= (name.equals(INPUT_IDS) || name.equals(ATTENTION_MASK) || name.equals(TOKEN_TYPE_IDS))
                    && isTensor(input.getValue(), OnnxJavaType.INT64, 2);
        }
        if (!ok) {
            throw new ModelException("the model " + location + " is not a text encoder: it needs int64 inputs "
                    + INPUT_IDS + " and " + ATTENTION_MASK + " [batch, sequence] (" + TOKEN_TYPE_IDS
                    + " optional) and nothing else; found inputs " + describe(inputs));
        }
    }

    /**
     * The output holding the last hidden state: {@code last_hidden_state} or {@code token_embeddings} when present,
     * otherwise the first float output of rank 3. Under {@link Pooling#NONE}: {@code logits} or
     * {@code sentence_embedding} when present, otherwise the first float output of rank 2.
     */
    private static String chooseOutput(String location, Map<String, NodeInfo> outputs, Pooling pooling) {
        if (pooling == Pooling.NONE) {
            for (String preferred : List.of("logits", "sentence_embedding")) {
                NodeInfo node = outputs.get(preferred);
                if (node != null && isTensor(node, OnnxJavaType.FLOAT, 2)) {
                    return preferred;
                }
            }
            for (Map.Entry<String, NodeInfo> output : outputs.entrySet()) {
                if (isTensor(output.getValue(), OnnxJavaType.FLOAT, 2)) {
                    return output.getKey();
                }
            }
            throw new ModelException("the model " + location + " gives no pooled output: without pooling it needs a"
                    + " float output [batch, k], such as logits; found outputs " + describe(outputs));
        }
        for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
            NodeInfo node = outputs.get(preferred);
            if (node != null && isTensor(node, OnnxJavaType.FLOAT, 3)) {
                return preferred;
            }
        }
        for (Map.Entry<String, NodeInfo> output : outputs.entrySet()) {
            if (isTensor(output.getValue(), OnnxJavaType.FLOAT, 3)) {
                return output.getKey();
            }
        }
        throw new ModelException("the model " + location + " is not a text encoder: it needs a float output"
                + " [batch, sequence, hidden] (the last hidden state); found outputs " + describe(outputs));
    }

    private static boolean isTensor(NodeInfo node, OnnxJavaType type, int rank) {
        return node.getInfo() instanceof TensorInfo tensor && tensor.type == type
                && tensor.getShape().length == rank;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        StringJoiner joiner = new StringJoiner(", ");
        for (Map.Entry<String, NodeInfo> node : nodes.entrySet()) {
            if (node.getValue().getInfo() instanceof TensorInfo tensor) {
                joiner.add(node.getKey() + " " + tensor.type + Arrays.toString(tensor.getShape()));
            } else {
                joiner.add(node.getKey() + " (" + node.getValue().getInfo() + ")");
            }
        }
        return joiner.length() == 0 ? "none" : joiner.toString();
    }

    /** The special tokens the tokenizer puts around a text, read from how it encodes {@code "a"}. */
    static Template template(HuggingFaceTokenizer tokenizer) {
        Encoding encoding = tokenizer.encode("a", true, false);
        long[] ids = encoding.getIds();
        long[] types = encoding.getTypeIds();
        long[] special = encoding.getSpecialTokenMask();
        int h = 0;
        while (h < ids.length && special[h] == 1) {
            h++;
        }
        int t = ids.length;
        while (t > h && special[t - 1] == 1) {
            t--;
        }
        long contentType = t > h ? types[h] : 0;
        return new Template(Arrays.copyOfRange(ids, 0, h), Arrays.copyOfRange(types, 0, h),
                Arrays.copyOfRange(ids, t, ids.length), Arrays.copyOfRange(types, t, ids.length), contentType);
    }

    /** The padding id: from the tokenizer's padding settings, else its {@code [PAD]} or {@code <pad>} token, else 0. */
    static long padId(byte[] json, EncoderSource source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelException("the tokenizer of " + source.location() + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        JsonNode padding = root.path("padding");
        if (padding.has("pad_id")) {
            return padding.get("pad_id").asLong();
        }
        JsonNode vocab = root.path("model").path("vocab");
        for (String token : List.of("[PAD]", "<pad>")) {
            if (vocab.has(token) && vocab.get(token).isNumber()) {
                return vocab.get(token).asLong();
            }
        }
        return 0;
    }

    /** Runs one sequence of {@code maxLength} tokens; returns the hidden size. */
    private int probe(String location, int maxLength) {
        long[] content = tokenizer.encode("a", false, false).getIds();
        long filler = content.length > 0 ? content[0] : padId;
        long[] body = new long[capacity];
        Arrays.fill(body, filler);
        Sequence sequence = sequence(0, body, 0, capacity);
        try {
            return run(List.of(sequence))[0].length;
        } catch (ModelException e) {
            throw new ModelException("the model " + location + " fails on a sequence of " + maxLength
                    + " tokens (is maxLength beyond its positions?): " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the encoder " + id + " is closed");
        }
    }
}
