package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

/** Shape and finiteness checks shared by the heads. */
final class Weights {
    private Weights() {}

    static float[] flatten(float[][] rows, String name, int expectedColumns) {
        checkArgument(rows.length > 0, "%s has no rows", name);
        int columns = expectedColumns < 0 ? rows[0].length : expectedColumns;
        checkArgument(columns > 0, "%s has no columns", name);
        float[] out = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            checkArgument(rows[r].length == columns, "%s row %s has %s values, expected %s",
                    name, r, rows[r].length, columns);
            System.arraycopy(rows[r], 0, out, r * columns, columns);
        }
        checkFinite(out, name);
        return out;
    }

    static float[][] unflatten(float[] flat, int rows, int columns) {
        float[][] out = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * columns, out[r], 0, columns);
        }
        return out;
    }

    static void checkFinite(float[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            checkArgument(Float.isFinite(values[i]), "%s[%s] is not finite: %s", name, i, values[i]);
        }
    }

    static void checkInput(float[] embedding, int dimension) {
        checkArgument(embedding.length == dimension, "the embedding has %s values, the head expects %s",
                embedding.length, dimension);
    }
}
