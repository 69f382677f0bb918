// The CUDA backend's kernels, compiled at run time with NVRTC (CudaDevice.java). Matrix
// products go to cuBLAS; everything else is here. Tensors are NCHW float arrays; per-channel
// operations see [N, C, S] with S the spatial size (1 for [N, C] features). One thread per
// output element unless said otherwise; sums run in a fixed order (no atomics) so a run repeats
// itself on one GPU, except max_pool_backward with overlapping windows. NVRTC sees no system
// headers: 64-bit sizes are spelled long long (a long has 32 bits on Windows), and no math.h
// constant (no INFINITY) is used.

extern "C" {

// col[n][(ci * kh + ky) * kw + kx][oy * ow + ox] for the cg channels of one group starting at
// channel c0, for every image n.
__global__ void im2col(const float* x, float* col, int n, int c, int c0, int cg, int h, int w,
                       int kh, int kw, int oh, int ow, int stride, int pad) {
    long long p = (long long) oh * ow;
    long long k = (long long) cg * kh * kw;
    long long total = (long long) n * k * p;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        long long place = i % p;
        long long row = (i / p) % k;
        long long img = i / (p * k);
        int kx = row % kw;
        int ky = (row / kw) % kh;
        int ci = row / ((long long) kw * kh);
        int oy = place / ow;
        int ox = place % ow;
        int iy = oy * stride - pad + ky;
        int ix = ox * stride - pad + kx;
        col[i] = (iy >= 0 && iy < h && ix >= 0 && ix < w)
                ? x[((img * c + c0 + ci) * h + iy) * w + ix] : 0.0f;
    }
}

// The adjoint of im2col, as a gather: each input element of the group sums the patch entries
// that read it, in (ky, kx) order. Adds into dx.
__global__ void col2im(const float* col, float* dx, int n, int c, int c0, int cg, int h, int w,
                       int kh, int kw, int oh, int ow, int stride, int pad) {
    long long p = (long long) oh * ow;
    long long k = (long long) cg * kh * kw;
    long long total = (long long) n * cg * h * w;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        int ix = i % w;
        int iy = (i / w) % h;
        int ci = (i / ((long long) w * h)) % cg;
        long long img = i / ((long long) w * h * cg);
        float s = 0.0f;
        for (int ky = 0; ky < kh; ky++) {
            int ty = iy + pad - ky;
            if (ty < 0 || ty % stride != 0 || ty / stride >= oh) continue;
            for (int kx = 0; kx < kw; kx++) {
                int tx = ix + pad - kx;
                if (tx < 0 || tx % stride != 0 || tx / stride >= ow) continue;
                long long row = ((long long) ci * kh + ky) * kw + kx;
                s += col[(img * k + row) * p + (ty / stride) * ow + tx / stride];
            }
        }
        dx[((img * c + c0 + ci) * h + iy) * w + ix] += s;
    }
}

// y[n][o][p] += bias[o]
__global__ void add_channel_bias(float* y, const float* bias, long long total, int channels, int spatial) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        y[i] += bias[(i / spatial) % channels];
    }
}

__global__ void add(const float* a, const float* b, float* out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = a[i] + b[i];
    }
}

__global__ void mul(const float* a, const float* b, float* out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = a[i] * b[i];
    }
}

__global__ void relu(const float* x, float* out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

__global__ void relu_backward(const float* dy, const float* y, float* out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = y[i] > 0.0f ? dy[i] : 0.0f;
    }
}

// m[r][f] + v[f]
__global__ void add_row_vector(const float* m, const float* v, float* out, long long n, int f) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = m[i] + v[i % f];
    }
}

// out[f] = sum over rows of m[r][f], one thread per column, rows in order.
__global__ void sum_rows(const float* m, float* out, int rows, int f) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < f; j += gridDim.x * blockDim.x) {
        double s = 0.0;
        for (int r = 0; r < rows; r++) s += m[(long long) r * f + j];
        out[j] = (float) s;
    }
}

#define REDUCE_THREADS 256

// Sums the block's partial sums in shared memory as a fixed tree; thread 0 gets the total.
__device__ double block_sum(double v, double* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] += shared[threadIdx.x + s];
        __syncthreads();
    }
    double total = shared[0];
    __syncthreads();
    return total;
}

// One block per channel: out[c] = sum over n, s of x[n][c][s].
__global__ void channel_sum(const float* x, float* out, int n, int c, int spatial) {
    __shared__ double shared[REDUCE_THREADS];
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    double s = 0.0;
    for (long long i = threadIdx.x; i < count; i += REDUCE_THREADS) {
        s += x[((i / spatial) * c + ch) * spatial + i % spatial];
    }
    double total = block_sum(s, shared);
    if (threadIdx.x == 0) out[ch] = (float) total;
}

// One block per channel: the mean, then the biased variance of the centred values.
__global__ void channel_moments(const float* x, float* mean, float* variance, int n, int c, int spatial) {
    __shared__ double shared[REDUCE_THREADS];
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    double s = 0.0;
    for (long long i = threadIdx.x; i < count; i += REDUCE_THREADS) {
        s += x[((i / spatial) * c + ch) * spatial + i % spatial];
    }
    float m = (float) (block_sum(s, shared) / count);
    double q = 0.0;
    for (long long i = threadIdx.x; i < count; i += REDUCE_THREADS) {
        double d = x[((i / spatial) * c + ch) * spatial + i % spatial] - m;
        q += d * d;
    }
    double total = block_sum(q, shared);
    if (threadIdx.x == 0) {
        mean[ch] = m;
        variance[ch] = (float) (total / count);
    }
}

// One block per channel: out[c] = sum of g * (x - centre[c]).
__global__ void channel_centred_dot(const float* g, const float* x, const float* centre, float* out,
                                    int n, int c, int spatial) {
    __shared__ double shared[REDUCE_THREADS];
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    float m = centre[ch];
    double s = 0.0;
    for (long long i = threadIdx.x; i < count; i += REDUCE_THREADS) {
        long long at = ((i / spatial) * c + ch) * spatial + i % spatial;
        s += (double) g[at] * (x[at] - m);
    }
    double total = block_sum(s, shared);
    if (threadIdx.x == 0) out[ch] = (float) total;
}

__global__ void channel_affine(const float* x, const float* scale, const float* shift, float* out, long long n,
                               int c, int spatial) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int ch = (i / spatial) % c;
        out[i] = fmaf(x[i], scale[ch], shift[ch]);
    }
}

__global__ void channel_combine(const float* a, const float* sa, const float* b, const float* centre,
                                const float* sb, const float* shift, float* out, long long n, int c, int spatial) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int ch = (i / spatial) % c;
        out[i] = fmaf(a[i], sa[ch], fmaf(b[i] - centre[ch], sb[ch], shift[ch]));
    }
}

// One thread per output; argmax is the flat input index, the first maximum in window order.
__global__ void max_pool(const float* x, float* y, int* argmax, long long planes, int h, int w, int oh, int ow,
                         int k, int stride, int pad) {
    long long total = planes * oh * ow;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        int ox = i % ow;
        int oy = (i / ow) % oh;
        long long plane = i / ((long long) ow * oh);
        float best = 0.0f;  // replaced by the first in-bounds value (at < 0)
        long long at = -1;
        for (int ky = 0; ky < k; ky++) {
            int iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < k; kx++) {
                int ix = ox * stride - pad + kx;
                if (ix < 0 || ix >= w) continue;
                long long idx = (plane * h + iy) * w + ix;
                if (at < 0 || x[idx] > best) {
                    best = x[idx];
                    at = idx;
                }
            }
        }
        y[i] = best;
        argmax[i] = (int) at;
    }
}

// Overlapping windows may send two gradients to one place: atomic adds.
__global__ void max_pool_backward(const float* dy, const int* argmax, float* dx, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        atomicAdd(&dx[argmax[i]], dy[i]);
    }
}

__global__ void avg_pool(const float* x, float* y, long long planes, int h, int w, int oh, int ow, int k,
                         int stride, int pad) {
    long long total = planes * oh * ow;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        int ox = i % ow;
        int oy = (i / ow) % oh;
        long long plane = i / ((long long) ow * oh);
        int y0 = max(0, oy * stride - pad);
        int y1 = min(h, oy * stride - pad + k);
        int x0 = max(0, ox * stride - pad);
        int x1 = min(w, ox * stride - pad + k);
        float s = 0.0f;
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = x0; ix < x1; ix++) s += x[(plane * h + iy) * w + ix];
        }
        y[i] = s / ((y1 - y0) * (x1 - x0));
    }
}

// A gather: each input place sums the shares of the windows that cover it.
__global__ void avg_pool_backward(const float* dy, float* dx, long long planes, int h, int w, int oh, int ow,
                                  int k, int stride, int pad) {
    long long total = planes * h * w;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        int ix = i % w;
        int iy = (i / w) % h;
        long long plane = i / ((long long) w * h);
        // The windows covering iy start at oy * stride - pad in (iy - k, iy].
        int ty = iy + pad - k;
        int tx = ix + pad - k;
        int oy0 = ty < 0 ? 0 : ty / stride + 1;
        int ox0 = tx < 0 ? 0 : tx / stride + 1;
        int oy1 = min(oh - 1, (iy + pad) / stride);
        int ox1 = min(ow - 1, (ix + pad) / stride);
        float s = 0.0f;
        for (int oy = oy0; oy <= oy1; oy++) {
            int y0 = oy * stride - pad;
            for (int ox = ox0; ox <= ox1; ox++) {
                int x0 = ox * stride - pad;
                int area = (min(h, y0 + k) - max(0, y0)) * (min(w, x0 + k) - max(0, x0));
                s += dy[(plane * oh + oy) * ow + ox] / area;
            }
        }
        dx[i] = s;
    }
}

// One thread per example: its loss (in double) and the gradient of the batch mean.
__global__ void softmax_cross_entropy(const float* logits, const int* labels, double* loss, float* grad,
                                      int n, int k) {
    for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < n; r += gridDim.x * blockDim.x) {
        const float* z = logits + (long long) r * k;
        double m = z[0];
        for (int j = 1; j < k; j++) m = fmax(m, (double) z[j]);
        double s = 0.0;
        for (int j = 0; j < k; j++) s += exp(z[j] - m);
        double log_sum = m + log(s);
        loss[r] = log_sum - z[labels[r]];
        for (int j = 0; j < k; j++) {
            double p = exp(z[j] - log_sum);
            grad[(long long) r * k + j] = (float) ((p - (j == labels[r] ? 1.0 : 0.0)) / n);
        }
    }
}

// The optimizers' updates (ParameterUpdates), in place, as the host loops do them.
__global__ void adam_update(float* w, const float* grad, float* m, float* v, long long n, float beta1, float beta2,
                            float l2, float step_size, float sqrt_bc2, float eps) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float g = grad[i] + l2 * w[i];
        float mj = beta1 * m[i] + (1.0f - beta1) * g;
        float vj = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mj;
        v[i] = vj;
        w[i] -= step_size * mj / (sqrtf(vj) / sqrt_bc2 + eps);
    }
}

__global__ void sgd_update(float* w, const float* grad, float* velocity, int has_velocity, long long n, float wd,
                           float rate, float momentum, int nesterov) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float g = grad[i] + wd * w[i];
        if (has_velocity) {
            float b = momentum * velocity[i] + g;
            velocity[i] = b;
            g = nesterov ? g + momentum * b : b;
        }
        w[i] -= rate * g;
    }
}

}
