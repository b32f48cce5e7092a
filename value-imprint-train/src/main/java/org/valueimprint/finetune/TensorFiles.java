package org.valueimprint.finetune;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain fp32 tensor file for the training run's own checkpoints (not a shipping format: see the weight patch of
 * value-imprint-onnx): a count, then per tensor its name, rank, dimensions and values, big-endian.
 */
public final class TensorFiles {
    private TensorFiles() {}

    /** Writes {@code tensors} to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, tensors);
        }
    }

    /** Writes {@code tensors} to {@code stream}, which it flushes and leaves open. */
    static void write(OutputStream stream, Map<String, Tensor> tensors) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(tensors.size());
        for (Tensor t : tensors.values()) {
            out.writeUTF(t.name());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            for (float v : t.data()) {
                out.writeFloat(v);
            }
        }
        out.flush();
    }

    /** Reads a file {@link #write} wrote. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    size *= shape[d];
                }
                float[] data = new float[Math.toIntExact(size)];
                for (int k = 0; k < data.length; k++) {
                    data[k] = in.readFloat();
                }
                out.put(name, new Tensor(name, shape, data));
            }
            return out;
        }
    }

    /** Writes per-text float arrays (a cache of hidden states). */
    public static void writeRows(Path file, float[][] rows) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                1 << 20))) {
            out.writeInt(rows.length);
            for (float[] r : rows) {
                out.writeInt(r.length);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(r.length * 4);
                b.asFloatBuffer().put(r);
                out.write(b.array());
            }
        }
    }

    /** Reads a file {@link #writeRows} wrote. */
    public static float[][] readRows(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            float[][] rows = new float[in.readInt()][];
            for (int i = 0; i < rows.length; i++) {
                byte[] bytes = new byte[in.readInt() * 4];
                in.readFully(bytes);
                rows[i] = new float[bytes.length / 4];
                java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(rows[i]);
            }
            return rows;
        }
    }
}
