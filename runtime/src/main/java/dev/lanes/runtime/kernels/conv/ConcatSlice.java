package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;

/**
 * Where a convolution writes when its output is one input of a Concat along channels: channels
 * {@code [offset, offset + M)} of an [N, channels, spatial...] tensor, so the Concat copies
 * nothing. The first convolution of the Concat makes that tensor; each later one takes it as
 * input {@link #INTO} (the previous one's output) and hands it on, so the steps run in order and
 * the last one's output is the Concat's.
 *
 * @param channels the Concat output's channels
 * @param offset   the first of them this convolution writes
 */
public record ConcatSlice(int channels, int offset) {
    /** The input that holds the tensor written into (absent for the first writer). */
    public static final int INTO = 4;

    /** Checks the channels and offset. */
    public ConcatSlice {
        if (channels < 1 || offset < 0 || offset >= channels) {
            throw new IllegalArgumentException("concat slice at " + offset + " of " + channels
                    + " channels");
        }
    }

    /**
     * The tensor to write into, for a convolution whose own output would be {@code ownShape}:
     * input {@link #INTO} when present (checked), else a new one of the whole Concat's shape.
     */
    Tensor target(Tensor[] in, int[] ownShape, RunContext ctx) {
        if (ownShape[1] > channels - offset) {
            throw new ShapeException("Conv: " + ownShape[1] + " output channels do not fit at "
                    + offset + " of the " + channels + " channels of its Concat");
        }
        int[] full = ownShape.clone();
        full[1] = channels;
        Tensor into = in.length > INTO ? in[INTO] : null;
        if (into == null) {
            return ctx.output(full);
        }
        if (!into.dtype().isFloat() || !Arrays.equals(into.shapeView(), full)) {
            throw new ShapeException("Conv: the Concat output it writes into is "
                    + into.dtype() + Arrays.toString(into.shapeView()) + ", expected FLOAT "
                    + Arrays.toString(full));
        }
        return into;
    }

    /** Where output channel 0 of image {@code img} starts, for planes of {@code plane} values. */
    int imageOffset(int img, int plane) {
        return (img * channels + offset) * plane;
    }
}
