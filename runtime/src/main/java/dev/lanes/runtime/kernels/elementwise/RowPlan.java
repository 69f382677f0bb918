package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.kernels.Broadcast;

/**
 * How to walk a numpy broadcast as rows: the output is cut into rows of {@code length}
 * contiguous elements; for each input, row {@code r} starts at {@code starts[k][r]} and steps by
 * {@code steps[k]} (1, or 0 when the input is broadcast along the row). Adjacent axes are merged
 * first, so same-shape inputs give one row and a per-channel operand gives rows of a whole
 * spatial plane.
 */
final class RowPlan {
    final int[] shape;
    final int size;
    final int rows;
    final int length;
    final int[][] starts;
    final int[] steps;

    RowPlan(int[]... inputs) {
        shape = Broadcast.shape(inputs);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        size = n;
        int k = inputs.length;
        int rank = shape.length;
        int[][] strides = new int[k][];
        for (int i = 0; i < k; i++) {
            strides[i] = Broadcast.strides(inputs[i], shape);
        }
        // Merge axes from the innermost outwards while every input is either contiguous across
        // the pair or broadcast along both axes.
        int[] dims = new int[Math.max(rank, 1)];
        int[][] st = new int[k][Math.max(rank, 1)];
        int m = 0;
        for (int d = rank - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = m > 0;
            for (int i = 0; i < k && merge; i++) {
                int inner = st[i][m - 1];
                int outer = strides[i][d];
                merge = outer == inner * dims[m - 1] || (outer == 0 && inner == 0);
            }
            if (merge) {
                dims[m - 1] *= shape[d];
            } else {
                dims[m] = shape[d];
                for (int i = 0; i < k; i++) {
                    st[i][m] = strides[i][d];
                }
                m++;
            }
        }
        if (m == 0) {
            dims[0] = 1;
            m = 1;
        }
        // dims[0..m) now holds the merged axes innermost first.
        length = dims[0];
        rows = length == 0 ? 0 : n / length;
        steps = new int[k];
        starts = new int[k][rows];
        for (int i = 0; i < k; i++) {
            steps[i] = dims[0] == 1 ? 0 : st[i][0];
        }
        int[] idx = new int[m];
        int[] off = new int[k];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < k; i++) {
                starts[i][r] = off[i];
            }
            for (int d = 1; d < m; d++) {
                idx[d]++;
                for (int i = 0; i < k; i++) {
                    off[i] += st[i][d];
                }
                if (idx[d] < dims[d]) {
                    break;
                }
                for (int i = 0; i < k; i++) {
                    off[i] -= st[i][d] * dims[d];
                }
                idx[d] = 0;
            }
        }
    }
}
