package dev.lanes.training.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * One CUDA device as the backend uses it: the primary context, the kernels of
 * {@code kernels.cu} compiled with NVRTC, a cuBLAS handle, device buffers reused by size, and
 * kernel launches. Every JCuda call throws on error (exceptions enabled), so a failure is a
 * {@code jcuda.CudaException} naming the CUDA error, never a silent wrong result.
 */
final class CudaDevice implements AutoCloseable {
    static final int THREADS = 256;
    private static final int MAX_BLOCKS = 4096;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final cublasHandle blas = new cublasHandle();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
    private final String name;

    /** Opens device 0; throws (an UnsatisfiedLinkError or a CudaException) when there is none. */
    CudaDevice() {
        JCudaDriver.setExceptionsEnabled(true);
        JNvrtc.setExceptionsEnabled(true);
        JCublas2.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (count[0] == 0) {
            throw new IllegalStateException("the CUDA driver found no device");
        }
        cuDeviceGet(device, 0);
        byte[] bytes = new byte[256];
        cuDeviceGetName(bytes, bytes.length, device);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        name = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        cuDevicePrimaryCtxRetain(context, device);
        boolean loaded = false;
        boolean opened = false;
        try {
            cuCtxSetCurrent(context);
            cuModuleLoadData(module, ptx(source()));
            loaded = true;
            JCublas2.cublasCreate(blas);
            opened = true;
        } finally {
            if (!opened) {
                // Half opened: give back what was taken before the failure goes on.
                if (loaded) {
                    cuModuleUnload(module);
                }
                cuDevicePrimaryCtxRelease(device);
            }
        }
    }

    private static String source() {
        try (InputStream in = CudaDevice.class.getResourceAsStream("kernels.cu")) {
            if (in == null) {
                throw new IllegalStateException("kernels.cu is missing from the training jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles CUDA C to PTX with NVRTC; a compile error carries NVRTC's log. */
    private static String ptx(String source) {
        nvrtcProgram program = new nvrtcProgram();
        JNvrtc.nvrtcCreateProgram(program, source, "kernels.cu", 0, null, null);
        try {
            try {
                // No contraction of a * b + c into fused multiply-adds beyond the explicit
                // fmaf calls, so values round as the host's Java code rounds them.
                JNvrtc.nvrtcCompileProgram(program, 1, new String[] {"--fmad=false"});
            } catch (RuntimeException e) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC could not compile kernels.cu: " + log[0], e);
            }
            String[] ptx = new String[1];
            JNvrtc.nvrtcGetPTX(program, ptx);
            return ptx[0];
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The device's name, e.g. "NVIDIA A100-SXM4-40GB". */
    String name() {
        return name;
    }

    /** The cuBLAS handle; the context is made current first. */
    cublasHandle blas() {
        cuCtxSetCurrent(context);
        return blas;
    }

    /** A device buffer of {@code floats} floats (4-byte values), its contents undefined. */
    CUdeviceptr alloc(long floats) {
        cuCtxSetCurrent(context);
        long bytes = Math.max(1, floats) * Sizeof.FLOAT;
        ArrayDeque<CUdeviceptr> q = free.get(bytes);
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        return p;
    }

    /** Gives back a buffer of {@link #alloc}, to be reused for the same size. */
    void release(CUdeviceptr p, long floats) {
        free.computeIfAbsent(Math.max(1, floats) * Sizeof.FLOAT, k -> new ArrayDeque<>()).push(p);
    }

    /** A device copy of {@code a}. */
    CUdeviceptr upload(float[] a) {
        CUdeviceptr p = alloc(a.length);
        if (a.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(a), (long) a.length * Sizeof.FLOAT);
        }
        return p;
    }

    /** A device copy of {@code a}. */
    CUdeviceptr upload(int[] a) {
        CUdeviceptr p = alloc(a.length);
        if (a.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(a), (long) a.length * Sizeof.INT);
        }
        return p;
    }

    /** The first {@code n} floats of {@code p}. */
    float[] downloadFloats(CUdeviceptr p, int n) {
        cuCtxSetCurrent(context);
        float[] out = new float[n];
        if (n > 0) {
            cuMemcpyDtoH(Pointer.to(out), p, (long) n * Sizeof.FLOAT);
        }
        return out;
    }

    /** The first {@code n} ints of {@code p}. */
    int[] downloadInts(CUdeviceptr p, int n) {
        cuCtxSetCurrent(context);
        int[] out = new int[n];
        if (n > 0) {
            cuMemcpyDtoH(Pointer.to(out), p, (long) n * Sizeof.INT);
        }
        return out;
    }

    /** The first {@code n} doubles of {@code p} (which holds at least 2n floats' room). */
    double[] downloadDoubles(CUdeviceptr p, int n) {
        cuCtxSetCurrent(context);
        double[] out = new double[n];
        if (n > 0) {
            cuMemcpyDtoH(Pointer.to(out), p, (long) n * Sizeof.DOUBLE);
        }
        return out;
    }

    /** Sets {@code floats} floats of {@code p} to 0. */
    void zero(CUdeviceptr p, long floats) {
        cuCtxSetCurrent(context);
        if (floats > 0) {
            cuMemsetD32(p, 0, floats);
        }
    }

    /** Runs kernel {@code name} over {@code work} items (grid-stride loops), then waits for it. */
    void launch(String name, long work, Object... args) {
        int blocks = (int) Math.max(1, Math.min(MAX_BLOCKS, (work + THREADS - 1) / THREADS));
        launchBlocks(name, blocks, THREADS, args);
    }

    /** Runs kernel {@code name} on {@code blocks} blocks of {@code threads} threads, then waits for it. */
    void launchBlocks(String name, int blocks, int threads, Object... args) {
        cuCtxSetCurrent(context);
        CUfunction f = functions.computeIfAbsent(name, n -> {
            CUfunction fn = new CUfunction();
            cuModuleGetFunction(fn, module, n);
            return fn;
        });
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case CUdeviceptr p -> Pointer.to(p);
                case Integer v -> Pointer.to(new int[] {v});
                case Long v -> Pointer.to(new long[] {v});
                case Float v -> Pointer.to(new float[] {v});
                default -> throw new IllegalArgumentException("kernel " + name + ": argument " + i + " is a "
                        + args[i].getClass().getSimpleName());
            };
        }
        cuLaunchKernel(f, blocks, 1, 1, threads, 1, 1, 0, null, Pointer.to(params), null);
        cuCtxSynchronize();
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cuCtxSetCurrent(context);
        for (ArrayDeque<CUdeviceptr> q : free.values()) {
            for (CUdeviceptr p : q) {
                cuMemFree(p);
            }
        }
        free.clear();
        JCublas2.cublasDestroy(blas);
        cuModuleUnload(module);
        cuDevicePrimaryCtxRelease(device);
    }
}
