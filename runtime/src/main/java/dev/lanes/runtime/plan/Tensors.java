package dev.lanes.runtime.plan;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Tensors to and from their plan-file form (see {@code lanes.proto}, message Tensor). */
final class Tensors {
    private Tensors() {
    }

    /** The file form: little-endian floats, or 8-byte integers for every other type. */
    static LanesPlan.Tensor toProto(Tensor t) {
        LanesPlan.Tensor.Builder b = LanesPlan.Tensor.newBuilder().setDtype(dataType(t.dtype()));
        for (int d : t.shapeView()) {
            b.addDims(d);
        }
        int n = t.size();
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(n,
                t.dtype().isFloat() ? Float.BYTES : Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype().isFloat()) {
            buf.asFloatBuffer().put(t.floats(), 0, n);
        } else {
            buf.asLongBuffer().put(t.longs(), 0, n);
        }
        // The buffer is never written again: wrapping it saves a copy of every weight.
        return b.setData(UnsafeByteOperations.unsafeWrap(buf.array())).build();
    }

    /**
     * The tensor of a file form, checking its type, dimensions and data length; {@code where}
     * names it in errors.
     */
    static Tensor fromProto(LanesPlan.Tensor p, Where where) {
        DType dtype = dtype(p.getDtype(), where, "dtype");
        int[] shape = new int[p.getDimsCount()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = p.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw where.error("dims[" + i + "] is " + d + ", not a size");
            }
            shape[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw where.error("dims " + p.getDimsList() + " hold more than "
                        + Integer.MAX_VALUE + " values");
            }
        }
        int size = dtype.isFloat() ? Float.BYTES : Long.BYTES;
        ByteString data = p.getData();
        // The data must be exactly as long as the dims say: the allocation below is then
        // bounded by the file's size.
        if (data.size() != n * size) {
            throw where.error("data has " + data.size() + " bytes but dims "
                    + p.getDimsList() + " of " + dtype + " need " + n * size);
        }
        ByteBuffer buf = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype.isFloat()) {
            float[] f = new float[(int) n];
            buf.asFloatBuffer().get(f);
            return Tensor.of(f, shape);
        }
        long[] l = new long[(int) n];
        buf.asLongBuffer().get(l);
        for (int i = 0; i < l.length; i++) {
            if (dtype.wrap(l[i]) != l[i]) {
                throw where.error("value " + l[i] + " at index " + i + " is not a " + dtype);
            }
        }
        return Tensor.ofLongs(dtype, l, shape);
    }

    /** The file's element type of a runtime dtype. */
    static LanesPlan.DataType dataType(DType d) {
        return LanesPlan.DataType.valueOf(d.name());
    }

    /** The runtime dtype of a file element type; an unknown one is an error. */
    static DType dtype(LanesPlan.DataType t, Where where, String field) {
        if (t != LanesPlan.DataType.UNRECOGNIZED && t != LanesPlan.DataType.UNDEFINED) {
            for (DType d : DType.values()) {
                if (d.name().equals(t.name())) {
                    return d;
                }
            }
        }
        throw where.error(field + " is " + (t == LanesPlan.DataType.UNRECOGNIZED
                ? "an unknown element type" : t.name()) + ", not one the runtime holds");
    }
}
