package org.valueimprint.onnx.internal.patch;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.valueimprint.classify.ModelException;

/**
 * The tensors a fine-tuning run changed in an ONNX encoder, with the SHA-256 of the base model they apply to and free
 * provenance facts (corpus, seed, recipe, metrics). {@link #apply(byte[])} parses the base model, replaces the
 * initializers of the same names (checking type and dimensions) and serialises it again: the bytes to hand ONNX
 * Runtime, or to write as a standalone model. A patch for another base is refused.
 *
 * <pre>{@code
 * WeightPatch patch;
 * try (InputStream in = Files.newInputStream(Path.of("encoder.patch"))) {
 *     patch = WeightPatch.read(in);
 * }
 * byte[] model = patch.apply(baseModelBytes);   // ModelException if baseModelBytes is another model
 * }</pre>
 *
 * <p>File format (big-endian): the magic {@code VIWP}, a format version (int, 1), the base's SHA-256 (modified UTF-8),
 * the count of provenance entries (int) and each key and value (UTF), the count of tensors (int) and for each its
 * name (UTF), storage ({@link Storage} ordinal, byte), rank (int), dimensions (long each), byte count (int) and the
 * values (little-endian, as stored).
 */
public final class WeightPatch {
    /** The format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'V', 'I', 'W', 'P'};
    private static final int MAX_TENSORS = 1 << 16;
    private static final int MAX_RANK = 8;

    private final String baseSha256;
    private final Map<String, String> provenance;
    private final List<PatchTensor> tensors;

    private WeightPatch(String baseSha256, Map<String, String> provenance, List<PatchTensor> tensors) {
        this.baseSha256 = baseSha256;
        this.provenance = provenance;
        this.tensors = tensors;
    }

    /**
     * A patch.
     *
     * @param baseSha256 the SHA-256 (lower-case hex) of the base ONNX model
     * @param provenance facts about how the tensors were made (copied, order kept)
     * @param tensors the replacement tensors, distinct names
     * @throws IllegalArgumentException for a malformed checksum or a repeated name
     */
    public static WeightPatch of(String baseSha256, Map<String, String> provenance, List<PatchTensor> tensors) {
        requireNonNull(baseSha256, "baseSha256");
        if (!baseSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("baseSha256 must be 64 lower-case hex digits, was " + baseSha256);
        }
        Set<String> names = new LinkedHashSet<>();
        for (PatchTensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("the tensor " + t.name() + " appears twice");
            }
        }
        return new WeightPatch(baseSha256, Collections.unmodifiableMap(new LinkedHashMap<>(provenance)),
                List.copyOf(tensors));
    }

    /** The SHA-256 of the base model this patch applies to. */
    public String baseSha256() {
        return baseSha256;
    }

    /** How the tensors were made. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** The replacement tensors. */
    public List<PatchTensor> tensors() {
        return tensors;
    }

    /**
     * The base model with this patch's tensors in place of its initializers of the same names.
     *
     * @param baseModel the bytes of the base ONNX model
     * @throws ModelException when the base's SHA-256 is not {@link #baseSha256()} (the message gives both), the bytes
     *     are not an ONNX model, a tensor names no initializer of the base, or a type or dimension differs
     */
    public byte[] apply(byte[] baseModel) {
        requireNonNull(baseModel, "baseModel");
        String sha = sha256(baseModel);
        if (!sha.equals(baseSha256)) {
            throw new ModelException("this weight patch is for the base model with SHA-256 " + baseSha256
                    + ", but the model given has SHA-256 " + sha + ": refusing to apply it to another model");
        }
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(baseModel);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("the base model is not an ONNX model: " + e.getMessage(), e);
        }
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            index.put(graph.getInitializer(i).getName(), i);
        }
        for (PatchTensor t : tensors) {
            Integer i = index.get(t.name());
            if (i == null) {
                throw new ModelException("the weight patch replaces " + t.name()
                        + ", which is not an initializer of the base model");
            }
            OnnxMl.TensorProto old = graph.getInitializer(i);
            int expectedType = t.storage() == Storage.INT8 ? OnnxMl.TensorProto.DataType.INT8_VALUE
                    : OnnxMl.TensorProto.DataType.FLOAT_VALUE;
            if (old.getDataType() != expectedType) {
                throw new ModelException("the weight patch stores " + t.name() + " as " + t.storage()
                        + " but the base model's initializer has ONNX data type " + old.getDataType());
            }
            long[] dims = old.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(dims, t.dims())) {
                throw new ModelException("the weight patch's " + t.name() + " has dimensions "
                        + Arrays.toString(t.dims()) + " but the base model's has " + Arrays.toString(dims));
            }
            OnnxMl.TensorProto.Builder replaced = OnnxMl.TensorProto.newBuilder()
                    .setName(old.getName())
                    .setDataType(old.getDataType())
                    .addAllDims(old.getDimsList())
                    .setRawData(ByteString.copyFrom(t.onnxRawData()));
            if (old.hasDocString()) {
                replaced.setDocString(old.getDocString());
            }
            graph.setInitializer(i, replaced);
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    /** Writes the patch in the format of the class comment. */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(MAGIC);
        d.writeInt(FORMAT_VERSION);
        d.writeUTF(baseSha256);
        d.writeInt(provenance.size());
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
        d.writeInt(tensors.size());
        for (PatchTensor t : tensors) {
            d.writeUTF(t.name());
            d.writeByte(t.storage().ordinal());
            long[] dims = t.dims();
            d.writeInt(dims.length);
            for (long x : dims) {
                d.writeLong(x);
            }
            byte[] data = t.data();
            d.writeInt(data.length);
            d.write(data);
        }
        d.flush();
    }

    /** The patch's bytes, as {@link #write} writes them. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a patch.
     *
     * @throws ModelException when the stream is not a weight patch, is of another version, or is truncated or
     *     malformed (the message says what and where)
     */
    public static WeightPatch read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            byte[] magic = new byte[4];
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelException("not a weight patch: it does not start with VIWP");
            }
            int version = d.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelException("weight patch format version " + version + " is not supported; this library"
                        + " reads version " + FORMAT_VERSION);
            }
            String base = d.readUTF();
            int entries = count(d.readInt(), MAX_TENSORS, "provenance entries");
            Map<String, String> provenance = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                provenance.put(d.readUTF(), d.readUTF());
            }
            int n = count(d.readInt(), MAX_TENSORS, "tensors");
            List<PatchTensor> tensors = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = d.readUTF();
                int storage = d.readUnsignedByte();
                if (storage >= Storage.values().length) {
                    throw new ModelException("weight patch tensor " + name + ": unknown storage " + storage);
                }
                long[] dims = new long[count(d.readInt(), MAX_RANK, "dimensions of " + name)];
                for (int k = 0; k < dims.length; k++) {
                    dims[k] = d.readLong();
                }
                int length = count(d.readInt(), Integer.MAX_VALUE - 8, "bytes of " + name);
                byte[] data = d.readNBytes(length);
                if (data.length != length) {
                    throw new ModelException("weight patch tensor " + name + " is truncated: " + data.length + " of "
                            + length + " bytes");
                }
                try {
                    tensors.add(new PatchTensor(name, Storage.values()[storage], dims, data));
                } catch (IllegalArgumentException e) {
                    throw new ModelException("weight patch tensor " + e.getMessage(), e);
                }
            }
            return of(base, provenance, tensors);
        } catch (EOFException e) {
            throw new ModelException("the weight patch is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new ModelException("malformed weight patch: " + e.getMessage(), e);
        }
    }

    private static int count(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw new ModelException("malformed weight patch: " + value + " " + what);
        }
        return value;
    }

    /** The SHA-256 of bytes, lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightPatch p && baseSha256.equals(p.baseSha256) && provenance.equals(p.provenance)
                && tensors.equals(p.tensors);
    }

    @Override
    public int hashCode() {
        return baseSha256.hashCode() * 31 + tensors.hashCode();
    }

    @Override
    public String toString() {
        return "WeightPatch[base " + baseSha256.substring(0, 12) + ", " + tensors.size() + " tensors]";
    }
}
