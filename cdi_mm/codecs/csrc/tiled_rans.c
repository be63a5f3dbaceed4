/*
 * The tiled rANS coder of .cdi version 2: the latent (C, h, w) is cut into tiles of
 * T x T latent positions (all channels; edge tiles smaller), each coded as its own
 * stream, so a reader decodes only the tiles a crop covers.
 *
 * cdi_mm's own implementation of the published algorithm (Duda's rANS; the byte-wise
 * 32-bit variant of Giesen's ryg_rans: state in [L, 256 L) with L = 2^23, one byte per
 * renormalisation step, the 4-byte final state first). The coding tables are
 * CompressAI's, unchanged (16-bit quantized CDFs with the escape entry last, per-row
 * offsets), so a tile decodes to exactly the values the version-1 stream codes; values
 * outside a row's range are escaped and follow in 4-bit bypass chunks as in version 1.
 *
 * Stream of one tile: symbols in channel-major order (c, then row, then column of the
 * tile), the row of channel c is rows[c]. Blob of a file: the tiles' byte lengths as
 * LEB128 varints in row-major tile order, then the tiles' streams in the same order.
 *
 * Decoding for throughput:
 *   - a slot table per CDF row, built once per state of the tables (build_tables):
 *     4,096 buckets of the 16-bit cumulative frequency, each holding the symbol at its
 *     first slot, so a symbol is one load plus, in the few buckets a CDF boundary
 *     splits, a step or two;
 *   - up to 32 tiles (any sizes) decoded in lockstep with AVX2, four vectors of 8
 *     states, channel by channel with the channel's tables broadcast and the rare cases
 *     (split buckets, escapes) out of line; tiles of one size in scalar lockstep
 *     (LANES states) on CPUs without AVX2; so the serial dependency of one rANS state
 *     no longer bounds the speed;
 *   - only the tiles a crop window covers are decoded, and symbols are written as
 *     int16 straight into the caller's (C, out_h, out_w) buffer, cropped and, on
 *     request, flipped horizontally.
 * Bounded like version 1: a tile that consumes a byte past its end is refused (the
 * scalar decoder reads such bytes as zero; the AVX2 decoder reads them from the next
 * tile or the blob copy's padding, which holds one channel's worst case, and checks
 * after each channel), a symbol reads at most 2 bytes and an escape
 * at most 12 chunks, a tile must end in state L with every byte read, the tile table
 * must account for the blob exactly, and each tile must be long enough for its symbols
 * at the tables' cheapest cost (min_bits) before any of it is decoded.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define RANS_L (1u << 23)
#define BYPASS_BITS 4
#define MAX_BYPASS_CHUNKS 8
#define PRECISION 16
#define SLOT_BITS 12
#define SLOT_SHIFT (PRECISION - SLOT_BITS)
#define LANES 32
#define PAD_SYMBOL INT16_MIN
/* a slot-table entry: the symbol at the bucket's first slot, and whether a CDF
 * boundary splits the bucket (then the decoder steps on from it) */
#define SLOT_SYMBOL 0x7fffu
#define SLOT_SPLIT 0x8000u

/* ------------------------------------------------------------------ tables */

static int check_tables(const int32_t *cdf, Py_ssize_t rows, Py_ssize_t stride,
                        const int32_t *len, int precision) {
    if (stride < 2 || precision != PRECISION) {
        PyErr_Format(PyExc_ValueError,
                     "tiled coding needs %d-bit tables (CompressAI's precision), got %d",
                     PRECISION, precision);
        return -1;
    }
    for (Py_ssize_t r = 0; r < rows; ++r) {
        const int32_t *c = cdf + r * stride;
        int ok = len[r] >= 2 && len[r] <= stride && len[r] <= 0x8000 && c[0] == 0 &&
                 c[len[r] - 1] == (1 << precision);
        for (int32_t k = 0; ok && k + 1 < len[r]; ++k) ok = c[k + 1] > c[k];
        if (!ok) {
            PyErr_Format(PyExc_ValueError, "cdf row %zd is not a valid quantized cdf", r);
            return -1;
        }
    }
    return 0;
}

/* build_tables(cdfs, stride, lengths, precision, slots, packed, buckets): check the
 * tables, fill slots (rows x 2^SLOT_BITS uint16) with the symbol at the first slot of each
 * bucket, packed (rows x stride uint32) with each symbol's start | frequency << 16, and
 * buckets (rows x 2^SLOT_BITS uint32) with the start | frequency << 16 of each bucket's
 * symbol, 0 where a CDF boundary splits the bucket (the SIMD decoder's one lookup). */
static PyObject *build_tables(PyObject *self, PyObject *args) {
    Py_buffer cdfs, lengths, slots, packed, bucket_buf;
    Py_ssize_t stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*ny*iw*w*w*", &cdfs, &stride, &lengths, &precision, &slots,
                          &packed, &bucket_buf))
        return NULL;
    PyObject *result = NULL;
    const Py_ssize_t rows = lengths.len / 4;
    const int32_t *cdf = cdfs.buf, *len = lengths.buf;
    if (cdfs.len < rows * stride * 4 || slots.len < rows * (1 << SLOT_BITS) * 2 ||
        packed.len < rows * stride * 4 || bucket_buf.len < rows * (1 << SLOT_BITS) * 4) {
        PyErr_SetString(PyExc_ValueError, "table buffers too short");
        goto done;
    }
    if (check_tables(cdf, rows, stride, len, precision)) goto done;
    for (Py_ssize_t r = 0; r < rows; ++r) {
        const int32_t *c = cdf + r * stride;
        uint16_t *out = (uint16_t *)slots.buf + r * (1 << SLOT_BITS);
        uint32_t *info = (uint32_t *)packed.buf + r * stride;
        int32_t s = 0;
        for (uint32_t b = 0; b < (1u << SLOT_BITS); ++b) {
            const uint32_t slot = b << SLOT_SHIFT, last = slot + (1u << SLOT_SHIFT) - 1;
            while ((uint32_t)c[s + 1] <= slot) ++s;
            out[b] = (uint16_t)(s | ((uint32_t)c[s + 1] <= last ? SLOT_SPLIT : 0));
        }
        for (Py_ssize_t k = 0; k < stride; ++k)
            info[k] = k + 1 < len[r] ? (uint32_t)c[k] | (uint32_t)(c[k + 1] - c[k]) << 16 : 0;
        uint32_t *bucket = (uint32_t *)bucket_buf.buf + r * (1 << SLOT_BITS);
        for (uint32_t b = 0; b < (1u << SLOT_BITS); ++b)
            bucket[b] = out[b] & SLOT_SPLIT ? 0 : info[out[b]];
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&slots);
    PyBuffer_Release(&packed);
    PyBuffer_Release(&bucket_buf);
    return result;
}

/* ----------------------------------------------------------------- encoder */

typedef struct {
    uint8_t *bytes;
    size_t count, capacity;
} ByteStack;

static int push_byte(ByteStack *st, uint8_t b) {
    if (st->count == st->capacity) {
        size_t capacity = st->capacity ? 2 * st->capacity : 256;
        uint8_t *grown = PyMem_Realloc(st->bytes, capacity);
        if (!grown) return -1;
        st->bytes = grown;
        st->capacity = capacity;
    }
    st->bytes[st->count++] = b;
    return 0;
}

static int put_symbol(uint32_t *x, ByteStack *st, uint32_t start, uint32_t freq,
                      int scale_bits) {
    const uint32_t x_max = ((RANS_L >> scale_bits) << 8) * freq;
    while (*x >= x_max) {
        if (push_byte(st, (uint8_t)*x)) return -1;
        *x >>= 8;
    }
    *x = ((*x / freq) << scale_bits) + (*x % freq) + start;
    return 0;
}

static int put_varint(ByteStack *st, uint32_t v) {
    do {
        if (push_byte(st, (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)))) return -1;
        v >>= 7;
    } while (v);
    return 0;
}

/* encode_tiles(values, C, h, w, tile, rows, cdfs, stride, lengths, offsets, precision)
 * -> bytes: the blob (varint lengths, then the streams) of the int32 latent values
 * (C x h x w). */
static PyObject *encode_tiles(PyObject *self, PyObject *args) {
    Py_buffer values, rowbuf, cdfs, lengths, offsets;
    Py_ssize_t C, h, w, tile, stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*nnnny*y*ny*y*i", &values, &C, &h, &w, &tile, &rowbuf,
                          &cdfs, &stride, &lengths, &offsets, &precision))
        return NULL;
    PyObject *result = NULL;
    ByteStack body = {NULL, 0, 0}, table = {NULL, 0, 0}, rev = {NULL, 0, 0};
    const Py_ssize_t n_rows = lengths.len / 4;
    const int32_t *val = values.buf, *rows = rowbuf.buf, *cdf = cdfs.buf;
    const int32_t *len = lengths.buf, *off = offsets.buf;
    if (C < 1 || h < 1 || w < 1 || tile < 1 || values.len != C * h * w * 4 ||
        rowbuf.len != C * 4 || offsets.len != n_rows * 4 || cdfs.len < n_rows * stride * 4) {
        PyErr_SetString(PyExc_ValueError, "inconsistent latent, tile size or tables");
        goto done;
    }
    if (check_tables(cdf, n_rows, stride, len, precision)) goto done;
    for (Py_ssize_t c = 0; c < C; ++c)
        if (rows[c] < 0 || rows[c] >= n_rows) {
            PyErr_SetString(PyExc_ValueError, "cdf row of a channel out of range");
            goto done;
        }
    for (Py_ssize_t ty = 0; ty < h; ty += tile)
        for (Py_ssize_t tx = 0; tx < w; tx += tile) {
            const Py_ssize_t th = h - ty < tile ? h - ty : tile;
            const Py_ssize_t tw = w - tx < tile ? w - tx : tile;
            uint32_t x = RANS_L;
            rev.count = 0;
            for (Py_ssize_t c = C - 1; c >= 0; --c) { /* rANS encodes backwards */
                const int32_t r = rows[c];
                const int32_t *cr = cdf + r * stride;
                const int32_t max_value = len[r] - 2;
                for (Py_ssize_t iy = th - 1; iy >= 0; --iy)
                    for (Py_ssize_t ix = tw - 1; ix >= 0; --ix) {
                        const int32_t v = val[(c * h + ty + iy) * w + tx + ix];
                        int64_t value = (int64_t)v - off[r];
                        if (value < 0 || value >= max_value) {
                            const uint64_t raw = value < 0 ? (uint64_t)(-2 * value - 1)
                                                           : (uint64_t)(2 * (value - max_value));
                            uint32_t chunks = 0;
                            while (chunks < 9 && (raw >> (chunks * BYPASS_BITS)) != 0) ++chunks;
                            if (chunks > MAX_BYPASS_CHUNKS) {
                                PyErr_Format(PyExc_ValueError,
                                             "value %d is too far outside its table to code", v);
                                goto done;
                            }
                            for (int j = (int)chunks - 1; j >= 0; --j)
                                if (put_symbol(&x, &rev, (uint32_t)(raw >> (j * BYPASS_BITS)) & 15,
                                               1, BYPASS_BITS))
                                    goto nomem;
                            if (put_symbol(&x, &rev, chunks, 1, BYPASS_BITS)) goto nomem;
                            value = max_value;
                        }
                        if (put_symbol(&x, &rev, (uint32_t)cr[value],
                                       (uint32_t)(cr[value + 1] - cr[value]), precision))
                            goto nomem;
                    }
            }
            const size_t tile_bytes = rev.count + 4;
            if (tile_bytes >= (1ull << 32)) {
                PyErr_SetString(PyExc_ValueError, "a tile of 4 GiB or more");
                goto done;
            }
            if (put_varint(&table, (uint32_t)tile_bytes)) goto nomem;
            for (int b = 0; b < 4; ++b)
                if (push_byte(&body, (uint8_t)(x >> (8 * b)))) goto nomem;
            for (size_t k = rev.count; k > 0; --k)
                if (push_byte(&body, rev.bytes[k - 1])) goto nomem;
        }
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(table.count + body.count));
    if (!result) goto done;
    memcpy(PyBytes_AS_STRING(result), table.bytes, table.count);
    if (body.count) memcpy(PyBytes_AS_STRING(result) + table.count, body.bytes, body.count);
    goto done;
nomem:
    PyErr_NoMemory();
done:
    PyMem_Free(body.bytes);
    PyMem_Free(table.bytes);
    PyMem_Free(rev.bytes);
    PyBuffer_Release(&values);
    PyBuffer_Release(&rowbuf);
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&offsets);
    return result;
}

/* ----------------------------------------------------------------- decoder */

typedef struct {
    const int32_t *cdf, *len, *off, *rows;
    const uint16_t *slots;
    const uint32_t *packed, *buckets;
    Py_ssize_t stride;
    int32_t lo, hi; /* the values a latent may hold */
} Tables;

typedef struct {
    uint32_t x;
    const uint8_t *p, *end;
    Py_ssize_t over; /* bytes wanted past the end */
} Lane;

static inline uint8_t next_byte(Lane *l) {
    if (l->p < l->end) return *l->p++;
    ++l->over;
    return 0;
}

static inline uint32_t get_bits(Lane *l) {
    const uint32_t value = l->x & ((1u << BYPASS_BITS) - 1);
    l->x >>= BYPASS_BITS;
    if (l->x < RANS_L) l->x = (l->x << 8) | next_byte(l);
    return value;
}

/* The escaped value after an escape symbol of row r; -1 with an exception set when the
 * escape is impossible. */
static int escaped_value(Lane *l, int32_t max_value, int64_t *value) {
    uint32_t chunk = get_bits(l), chunks = chunk;
    while (chunk == (1u << BYPASS_BITS) - 1 && chunks <= MAX_BYPASS_CHUNKS) {
        chunk = get_bits(l);
        chunks += chunk;
    }
    if (chunks > MAX_BYPASS_CHUNKS) {
        PyErr_Format(PyExc_ValueError, "an escape announces more than %d bypass chunks",
                     MAX_BYPASS_CHUNKS);
        return -1;
    }
    uint32_t raw = 0;
    for (uint32_t j = 0; j < chunks; ++j) raw |= get_bits(l) << (j * BYPASS_BITS);
    *value = (int64_t)(raw >> 1);
    *value = (raw & 1) ? -*value - 1 : *value + max_value;
    return 0;
}

/* Decode `lanes` tiles of `plane` positions in lockstep (the decoder of CPUs without
 * AVX2), symbol i of lane k into scratch[i * ls + k * ks]. Called with constant lane counts, so each
 * call is specialised with the lane states in registers. Per symbol: one slot-table load (a step on in the few buckets a
 * CDF boundary splits), one load of start and frequency, the state update and a
 * branch-free renormalisation (the checked one in a stream's last 2 bytes). */
static inline __attribute__((always_inline)) int decode_lanes(
    const Tables *t, Lane *lane, const int lanes, Py_ssize_t C, Py_ssize_t plane,
    int16_t *scratch, Py_ssize_t ls, Py_ssize_t ks) {
    uint32_t x[LANES];
    const uint8_t *p[LANES], *safe_end[LANES];
    for (int k = 0; k < lanes; ++k) {
        x[k] = lane[k].x;
        p[k] = lane[k].p;
        safe_end[k] = lane[k].end - 2;
    }
    for (Py_ssize_t c = 0; c < C; ++c) {
        const int32_t r = t->rows[c];
        const int32_t *cr = t->cdf + r * t->stride;
        const uint32_t *info = t->packed + r * t->stride;
        const uint16_t *slot = t->slots + (Py_ssize_t)r * (1 << SLOT_BITS);
        const int32_t max_value = t->len[r] - 2, offset = t->off[r];
        /* values of the row's ordinary symbols outside [lo, hi]: check each one */
        const int check = offset < t->lo || offset + max_value - 1 > t->hi;
        for (Py_ssize_t i = c * plane; i < (c + 1) * plane; ++i) {
#pragma GCC unroll 8
            for (int k = 0; k < lanes; ++k) {
                uint32_t xk = x[k];
                const uint32_t cum = xk & ((1u << PRECISION) - 1);
                const uint32_t e = slot[cum >> SLOT_SHIFT];
                uint32_t s = e & SLOT_SYMBOL;
                if (__builtin_expect(e & SLOT_SPLIT, 0))
                    while ((uint32_t)cr[s + 1] <= cum) ++s;
                const uint32_t sf = info[s];
                xk = (sf >> 16) * (xk >> PRECISION) + cum - (sf & 0xffff);
                if (__builtin_expect(p[k] <= safe_end[k], 1)) {
                    const uint32_t one = xk < RANS_L, two = xk < (RANS_L >> 8);
                    const uint32_t y1 = (xk << 8) | p[k][0];
                    const uint32_t y2 = (xk << 16) | ((uint32_t)p[k][0] << 8) | p[k][1];
                    xk = two ? y2 : one ? y1 : xk;
                    p[k] += one + two;
                } else {
                    lane[k].p = p[k];
                    while (xk < RANS_L) xk = (xk << 8) | next_byte(lane + k);
                    p[k] = lane[k].p;
                }
                int32_t value = (int32_t)s + offset;
                if (__builtin_expect((int32_t)s >= max_value || check, 0)) {
                    if ((int32_t)s >= max_value) { /* escape: the value in bypass chunks */
                        int64_t escaped;
                        lane[k].x = xk;
                        lane[k].p = p[k];
                        if (escaped_value(lane + k, max_value, &escaped)) return -1;
                        xk = lane[k].x;
                        p[k] = lane[k].p;
                        escaped += offset;
                        value = escaped < t->lo || escaped > t->hi ? t->lo - 1 : (int32_t)escaped;
                    }
                    if (value < t->lo || value > t->hi) {
                        PyErr_Format(PyExc_ValueError,
                                     "a decoded value lies outside the alphabet [%d, %d]",
                                     t->lo, t->hi);
                        return -1;
                    }
                }
                scratch[i * ls + k * ks] = (int16_t)value;
                x[k] = xk;
            }
        }
    }
    for (int k = 0; k < lanes; ++k) {
        lane[k].x = x[k];
        lane[k].p = p[k];
        if (x[k] != RANS_L || lane[k].over || lane[k].p != lane[k].end) {
            PyErr_Format(PyExc_ValueError,
                         "a tile is not one complete rANS stream (ended in state %#x, "
                         "%zd bytes unread, %zd read past its end)",
                         x[k], (Py_ssize_t)(lane[k].end - lane[k].p), lane[k].over);
            return -1;
        }
    }
    return 0;
}

/* Start a lane on tile i: its first 4 bytes are the state, which must be possible. */
static int start_lane(Lane *l, const uint8_t *data, const Py_ssize_t *starts, Py_ssize_t i) {
    const uint8_t *p = data + starts[i];
    l->x = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    l->p = p + 4;
    l->end = data + starts[i + 1];
    l->over = 0;
    if (l->x < RANS_L || l->x >= (RANS_L << 8)) {
        PyErr_Format(PyExc_ValueError, "tile %zd starts in an impossible rANS state", i);
        return -1;
    }
    return 0;
}

/* Copy the part of decoded tile i (C x th x tw symbols at src, `ls` apart, channels `cs`
 * symbols apart) inside the window to out. */
static void copy_window(const int16_t *src, Py_ssize_t ls, Py_ssize_t cs, Py_ssize_t i,
                        Py_ssize_t tiles_x, Py_ssize_t tile, Py_ssize_t C, Py_ssize_t th,
                        Py_ssize_t tw, Py_ssize_t y0, Py_ssize_t x0, Py_ssize_t wh, Py_ssize_t ww,
                        int flip, int16_t *dst, Py_ssize_t out_h, Py_ssize_t out_w) {
    const Py_ssize_t gy = (i / tiles_x) * tile, gx = (i % tiles_x) * tile;
    const Py_ssize_t ya = gy > y0 ? gy : y0, yb = gy + th < y0 + wh ? gy + th : y0 + wh;
    const Py_ssize_t xa = gx > x0 ? gx : x0, xb = gx + tw < x0 + ww ? gx + tw : x0 + ww;
    for (Py_ssize_t c = 0; c < C; ++c)
        for (Py_ssize_t y = ya; y < yb; ++y) {
            const int16_t *s = src + (c * cs + (y - gy) * tw + (xa - gx)) * ls;
            int16_t *d = dst + (c * out_h + y - y0) * out_w;
            if (flip) {
                for (Py_ssize_t x = xa; x < xb; ++x, s += ls) d[out_w - 1 - (x - x0)] = *s;
            } else if (ls == 1) {
                memcpy(d + (xa - x0), s, (size_t)(xb - xa) * sizeof(int16_t));
            } else {
                for (Py_ssize_t x = xa; x < xb; ++x, s += ls) d[x - x0] = *s;
            }
        }
}


#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#define AVX2 __attribute__((target("avx2")))
#define SIMD_LANES 32

static inline __attribute__((always_inline)) AVX2 int any(__m256i mask) {
    return _mm256_movemask_ps(_mm256_castsi256_ps(mask));
}

/* Split buckets (rare): step on from the bucket's first symbol to the one whose range
 * holds cum, in the vector; sets e and sf of the `split` lanes. Out of line, like the
 * other rare cases, so that the decoding loop keeps its vectors in registers. */
static AVX2 __attribute__((noinline)) void refine_split(const Tables *t, __m256i info_base,
                                                       __m256i cum, __m256i split, __m256i *e,
                                                       __m256i *sf) {
    const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
    const __m256i cum1 = _mm256_add_epi32(cum, one);
    __m256i more = split, s = *e;
    do {
        const __m256i next = _mm256_mask_i32gather_epi32(
            zero, (const int *)t->cdf, _mm256_add_epi32(_mm256_add_epi32(info_base, s), one),
            more, 4);
        more = _mm256_and_si256(more, _mm256_cmpgt_epi32(cum1, next));
        s = _mm256_sub_epi32(s, more);
    } while (any(more));
    *e = s;
    *sf = _mm256_mask_i32gather_epi32(*sf, (const int *)t->packed, _mm256_add_epi32(info_base, s),
                                      split, 4);
}

/* Escapes (rare): each lane of mask m reads its value from bypass chunks (state nx,
 * position off), the value replacing its entry of `values`; -1 with an exception set on
 * an impossible escape, a value outside the alphabet or a read past the tile's end. */
static AVX2 __attribute__((noinline)) int read_escapes(const Tables *t, Lane *lane,
                                                      const uint8_t *base, int m,
                                                      int32_t max_value, int32_t offset,
                                                      __m256i *nx, __m256i *off,
                                                      __m256i *values) {
    uint32_t xs[8], os[8];
    int32_t vs[8];
    _mm256_storeu_si256((__m256i *)xs, *nx);
    _mm256_storeu_si256((__m256i *)os, *off);
    _mm256_storeu_si256((__m256i *)vs, *values);
    for (int k = 0; k < 8; ++k) {
        if (!(m >> k & 1)) continue;
        Lane *l = lane + k;
        int64_t escaped;
        l->x = xs[k];
        l->p = base + os[k];
        if (escaped_value(l, max_value, &escaped)) return -1;
        if (l->over) {
            PyErr_SetString(PyExc_ValueError, "an escape reads past the end of its tile");
            return -1;
        }
        xs[k] = l->x;
        os[k] = (uint32_t)(l->p - base);
        escaped += offset;
        if (escaped < t->lo || escaped > t->hi) {
            PyErr_Format(PyExc_ValueError, "a decoded value lies outside the alphabet [%d, %d]",
                         t->lo, t->hi);
            return -1;
        }
        vs[k] = (int32_t)escaped;
    }
    *nx = _mm256_loadu_si256((const __m256i *)xs);
    *off = _mm256_loadu_si256((const __m256i *)os);
    *values = _mm256_loadu_si256((const __m256i *)vs);
    return 0;
}

/* Decode up to 32 tiles (C x planes[k] symbols each, any sizes) with AVX2, in lockstep:
 * ceil(lanes / 8) vectors of 8 lanes, channel by channel with the channel's tables
 * broadcast, position p of every lane whose plane holds p. Per symbol and vector: three
 * gathers (the stream's next bytes, start | freq of the slot's bucket, its symbol), the
 * state update and a branch-free renormalisation. Symbol (c, p) of lane k goes to
 * scratch[(c * plane_max + p) * stride + k], stride = 8 per vector. base: the blob,
 * padded by 2 * plane_max + 8 bytes: a lane reads at most 2 bytes per symbol, so one
 * channel's reads past its tile's end stay inside the padding, and a lane that consumed a
 * byte past its end is refused after the channel. Checks every tile ends complete (final
 * state, every byte read). */
static inline __attribute__((always_inline)) AVX2 int decode_vectors(
    const Tables *t, Lane *lane, const int lanes, const int vectors, Py_ssize_t C,
    const Py_ssize_t *planes, Py_ssize_t plane_max, int16_t *scratch, const uint8_t *base) {
    const int stride = 8 * vectors;
    const uint32_t *const buckets = t->buckets;
    const uint16_t *const slots = t->slots;
    const __m256i low16 = _mm256_set1_epi32(0xffff), below = _mm256_set1_epi32(RANS_L);
    const __m256i zero = _mm256_setzero_si256(), ff = _mm256_set1_epi32(0xff);
    int32_t init[4][SIMD_LANES];
    for (int k = 0; k < stride; ++k) {
        const int on = k < lanes;
        init[0][k] = on ? (int32_t)lane[k].x : (int32_t)RANS_L;
        init[1][k] = on ? (int32_t)(lane[k].p - base) : 0;
        init[2][k] = on ? (int32_t)(lane[k].end - base) : 0;
        init[3][k] = on ? (int32_t)planes[k] : 0; /* no position for an unused lane */
    }
    __m256i x[SIMD_LANES / 8], off[SIMD_LANES / 8], end[SIMD_LANES / 8], plane[SIMD_LANES / 8];
    for (int h = 0; h < vectors; ++h) {
        x[h] = _mm256_loadu_si256((const __m256i *)(init[0] + 8 * h));
        off[h] = _mm256_loadu_si256((const __m256i *)(init[1] + 8 * h));
        end[h] = _mm256_loadu_si256((const __m256i *)(init[2] + 8 * h));
        plane[h] = _mm256_loadu_si256((const __m256i *)(init[3] + 8 * h));
    }
    for (Py_ssize_t c = 0; c < C; ++c) {
        const int32_t r = t->rows[c], max_value = t->len[r] - 2, offset = t->off[r];
        const __m256i slot_base = _mm256_set1_epi32(r * (1 << SLOT_BITS));
        const __m256i info_base = _mm256_set1_epi32((int32_t)(r * t->stride));
        const __m256i last = _mm256_set1_epi32(max_value - 1), offs = _mm256_set1_epi32(offset);
        for (Py_ssize_t p = 0; p < plane_max; ++p) {
            const __m256i at = _mm256_set1_epi32((int32_t)p);
            int16_t *dst = scratch + (c * plane_max + p) * stride;
#pragma GCC unroll 4
            for (int h = 0; h < vectors; ++h) {
                const __m256i a = _mm256_cmpgt_epi32(plane[h], at);
                if (!any(a)) continue;
                const __m256i bytes =
                    _mm256_mask_i32gather_epi32(zero, (const int *)base, off[h], a, 1);
                const __m256i cum = _mm256_and_si256(x[h], low16);
                const __m256i bucket =
                    _mm256_add_epi32(slot_base, _mm256_srli_epi32(cum, SLOT_SHIFT));
                __m256i sf =
                    _mm256_mask_i32gather_epi32(zero, (const int *)buckets, bucket, a, 4);
                __m256i e = _mm256_and_si256(
                    _mm256_mask_i32gather_epi32(zero, (const int *)slots, bucket, a, 2),
                    _mm256_set1_epi32(SLOT_SYMBOL));
                const __m256i split = _mm256_and_si256(a, _mm256_cmpeq_epi32(sf, zero));
                if (__builtin_expect(any(split), 0))
                    refine_split(t, info_base, cum, split, &e, &sf);
                __m256i nx = _mm256_add_epi32(
                    _mm256_mullo_epi32(_mm256_srli_epi32(sf, 16),
                                       _mm256_srli_epi32(x[h], PRECISION)),
                    _mm256_sub_epi32(cum, _mm256_and_si256(sf, low16)));
                /* renormalise without a branch: at most 2 bytes, both gathered */
                const __m256i need = _mm256_and_si256(a, _mm256_cmpgt_epi32(below, nx));
                nx = _mm256_blendv_epi8(
                    nx, _mm256_or_si256(_mm256_slli_epi32(nx, 8), _mm256_and_si256(bytes, ff)),
                    need);
                const __m256i need2 = _mm256_and_si256(a, _mm256_cmpgt_epi32(below, nx));
                nx = _mm256_blendv_epi8(
                    nx,
                    _mm256_or_si256(_mm256_slli_epi32(nx, 8),
                                    _mm256_and_si256(_mm256_srli_epi32(bytes, 8), ff)),
                    need2);
                off[h] = _mm256_sub_epi32(_mm256_sub_epi32(off[h], need), need2);
                __m256i values = _mm256_add_epi32(e, offs);
                const __m256i esc = _mm256_and_si256(a, _mm256_cmpgt_epi32(e, last));
                if (__builtin_expect(any(esc), 0) &&
                    read_escapes(t, lane + 8 * h, base, any(esc), max_value, offset, &nx, &off[h],
                                 &values))
                    return -1;
                x[h] = _mm256_blendv_epi8(x[h], nx, a);
                const __m256i packed =
                    _mm256_permute4x64_epi64(_mm256_packs_epi32(values, values), 0x08);
                _mm_storeu_si128((__m128i *)(dst + 8 * h), _mm256_castsi256_si128(packed));
            }
        }
        /* a channel consumes at most 2 bytes per symbol, which the blob's padding holds */
        for (int h = 0; h < vectors; ++h)
            if (any(_mm256_cmpgt_epi32(off[h], end[h]))) {
                PyErr_SetString(PyExc_ValueError,
                                "a tile is not one complete rANS stream (read past its end)");
                return -1;
            }
    }
    uint32_t xs[SIMD_LANES], os[SIMD_LANES];
    for (int h = 0; h < vectors; ++h) {
        _mm256_storeu_si256((__m256i *)(xs + 8 * h), x[h]);
        _mm256_storeu_si256((__m256i *)(os + 8 * h), off[h]);
    }
    for (int k = 0; k < lanes; ++k) {
        lane[k].x = xs[k];
        lane[k].p = base + os[k];
        if (lane[k].x != RANS_L || lane[k].p != lane[k].end) {
            PyErr_Format(PyExc_ValueError,
                         "a tile is not one complete rANS stream (ended in state %#x, "
                         "%zd bytes unread)",
                         lane[k].x, (Py_ssize_t)(lane[k].end - lane[k].p));
            return -1;
        }
    }
    return 0;
}

/* decode_vectors with the vector count a constant, so its vectors stay in registers */
static AVX2 int decode_avx2(const Tables *t, Lane *lane, int lanes, Py_ssize_t C,
                            const Py_ssize_t *planes, Py_ssize_t plane_max, int16_t *scratch,
                            const uint8_t *base) {
    switch ((lanes + 7) / 8) {
    case 1: return decode_vectors(t, lane, lanes, 1, C, planes, plane_max, scratch, base);
    case 2: return decode_vectors(t, lane, lanes, 2, C, planes, plane_max, scratch, base);
    case 3: return decode_vectors(t, lane, lanes, 3, C, planes, plane_max, scratch, base);
    default: return decode_vectors(t, lane, lanes, 4, C, planes, plane_max, scratch, base);
    }
}
#endif

/* Whether decode_tiles may use the AVX2 decoder (set_simd: tests cover both decoders). */
static int simd_allowed = 1;

static PyObject *set_simd(PyObject *self, PyObject *args) {
    int allowed, previous = simd_allowed;
    if (!PyArg_ParseTuple(args, "p", &allowed)) return NULL;
    simd_allowed = allowed;
    return PyBool_FromLong(previous);
}

static uint8_t *padded_blob(size_t count) {
    static uint8_t *buffer = NULL;
    static size_t capacity = 0;
    if (count > capacity) {
        uint8_t *grown = PyMem_Realloc(buffer, count);
        if (!grown) return NULL;
        buffer = grown;
        capacity = count;
    }
    return buffer;
}

static int16_t *scratch_buffer(size_t count) {
    static int16_t *buffer = NULL;
    static size_t capacity = 0;
    if (count > capacity) {
        int16_t *grown = PyMem_Realloc(buffer, count * sizeof(int16_t));
        if (!grown) return NULL;
        buffer = grown;
        capacity = count;
    }
    return buffer;
}

/* decode_tiles(blob, C, h, w, tile, rows, cdfs, stride, lengths, offsets, precision,
 *              slots, packed, buckets, min_bits, lo, hi, y0, x0, wh, ww, flip, out, out_h, out_w) -> symbols
 * decoded (every value in [lo, hi], within int16 and above PAD_SYMBOL): the latent window [y0, y0 + wh) x [x0, x0 + ww) as int16 into out
 * (C x out_h x out_w, already filled with the pad value) at its top left (top right when
 * flip), decoding only the tiles the window covers. */
static PyObject *decode_tiles(PyObject *self, PyObject *args) {
    Py_buffer blob, rowbuf, cdfs, lengths, offsets, slots, packed, bucket_buf, out;
    Py_ssize_t C, h, w, tile, stride, y0, x0, wh, ww, out_h, out_w;
    int precision, flip, lo, hi;
    double min_bits;
    if (!PyArg_ParseTuple(args, "y*nnnny*y*ny*y*iy*y*y*diinnnnpw*nn", &blob, &C, &h, &w,
                          &tile, &rowbuf, &cdfs, &stride, &lengths, &offsets, &precision,
                          &slots, &packed, &bucket_buf, &min_bits, &lo, &hi, &y0, &x0, &wh, &ww, &flip, &out, &out_h,
                          &out_w))
        return NULL;
    PyObject *result = NULL;
    Lane *lane = NULL;
    Py_ssize_t *starts = NULL, *order = NULL;
    const Py_ssize_t n_rows = lengths.len / 4;
    Tables t = {cdfs.buf,   lengths.buf, offsets.buf,    rowbuf.buf,
                slots.buf,  packed.buf,  bucket_buf.buf, stride,
                lo > PAD_SYMBOL ? lo : PAD_SYMBOL + 1, hi < INT16_MAX ? hi : INT16_MAX};
    if (C < 1 || h < 1 || w < 1 || tile < 1 || rowbuf.len != C * 4 ||
        offsets.len != n_rows * 4 || cdfs.len < n_rows * stride * 4 ||
        slots.len < n_rows * (1 << SLOT_BITS) * 2 || packed.len < n_rows * stride * 4 ||
        bucket_buf.len < n_rows * (1 << SLOT_BITS) * 4 ||
        min_bits <= 0 || precision != PRECISION) {
        PyErr_SetString(PyExc_ValueError, "inconsistent latent, tile size or tables");
        goto done;
    }
    if (y0 < 0 || x0 < 0 || wh < 1 || ww < 1 || y0 + wh > h || x0 + ww > w || wh > out_h ||
        ww > out_w || out.len < C * out_h * out_w * 2) {
        PyErr_SetString(PyExc_ValueError, "crop window outside the latent or the output");
        goto done;
    }
    for (Py_ssize_t c = 0; c < C; ++c)
        if (t.rows[c] < 0 || t.rows[c] >= n_rows) {
            PyErr_SetString(PyExc_ValueError, "cdf row of a channel out of range");
            goto done;
        }
    /* the tile table: every tile's length, accounting for the blob exactly */
    const Py_ssize_t tiles_y = (h + tile - 1) / tile, tiles_x = (w + tile - 1) / tile;
    const Py_ssize_t n_tiles = tiles_y * tiles_x;
    starts = PyMem_Malloc((n_tiles + 1) * sizeof(Py_ssize_t));
    lane = PyMem_Malloc(LANES * sizeof(Lane));
    if (!starts || !lane) {
        PyErr_NoMemory();
        goto done;
    }
    const uint8_t *data = blob.buf;
    Py_ssize_t pos = 0;
    uint64_t total = 0;
    for (Py_ssize_t i = 0; i < n_tiles; ++i) {
        uint64_t v = 0;
        int shift = 0;
        for (;;) {
            if (pos >= blob.len || shift > 28) {
                PyErr_Format(PyExc_ValueError,
                             "the tile table ends or overflows at tile %zd of %zd", i, n_tiles);
                goto done;
            }
            const uint8_t b = data[pos++];
            v |= (uint64_t)(b & 0x7f) << shift;
            shift += 7;
            if (!(b & 0x80)) break;
        }
        starts[i] = (Py_ssize_t)total; /* relative to the end of the table */
        total += v;
    }
    if (total != (uint64_t)(blob.len - pos)) {
        PyErr_Format(PyExc_ValueError,
                     "the tile table accounts for %llu bytes, but %zd follow it",
                     (unsigned long long)total, blob.len - pos);
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_tiles; ++i) starts[i] += pos;
    starts[n_tiles] = blob.len;
    const Py_ssize_t ty0 = y0 / tile, ty1 = (y0 + wh - 1) / tile;
    const Py_ssize_t tx0 = x0 / tile, tx1 = (x0 + ww - 1) / tile;
    /* refuse before decoding: each covered tile must hold its symbols */
    for (Py_ssize_t ty = ty0; ty <= ty1; ++ty)
        for (Py_ssize_t tx = tx0; tx <= tx1; ++tx) {
            const Py_ssize_t i = ty * tiles_x + tx, bytes = starts[i + 1] - starts[i];
            const Py_ssize_t th = h - ty * tile < tile ? h - ty * tile : tile;
            const Py_ssize_t tw = w - tx * tile < tile ? w - tx * tile : tile;
            if (bytes < 4 || (double)(C * th * tw) * min_bits > 8.0 * bytes + 32.0) {
                PyErr_Format(PyExc_ValueError,
                             "tile %zd (%zd bytes) cannot hold its %zd symbols with these "
                             "tables (every symbol costs at least %.3g bits)",
                             i, bytes, C * th * tw, min_bits);
                goto done;
            }
        }
    const Py_ssize_t max_plane = (tile < h ? tile : h) * (tile < w ? tile : w);
    int16_t *scratch = scratch_buffer((size_t)LANES * C * max_plane);
    order = PyMem_Malloc(((ty1 - ty0 + 1) * (tx1 - tx0 + 1)) * sizeof(Py_ssize_t));
    if (!scratch || !order) {
        PyErr_NoMemory();
        goto done;
    }
    /* the covered tiles grouped by size (whole tiles, then the bottom edge, the right
     * edge and the corner), each group decoded in lockstep batches of 8, 4, 2 lanes */
    Py_ssize_t n_order = 0, group_end[4];
    for (int group = 0; group < 4; ++group) {
        for (Py_ssize_t ty = ty0; ty <= ty1; ++ty)
            for (Py_ssize_t tx = tx0; tx <= tx1; ++tx) {
                const int bottom = (ty + 1) * tile > h, right = (tx + 1) * tile > w;
                if (bottom + 2 * right == group) order[n_order++] = ty * tiles_x + tx;
            }
        group_end[group] = n_order;
    }
    /* the SIMD path: every channel's ordinary symbols within [lo, hi], offsets that fit
     * its 32-bit gathers, and a padded copy of the blob for its 4-byte reads */
    int simd = 0;
#ifdef HAVE_AVX2_PATH
    simd = simd_allowed && __builtin_cpu_supports("avx2") && blob.len < (1 << 30) &&
           slots.len >= (n_rows * (1 << SLOT_BITS) + 2) * 2;
    for (Py_ssize_t c = 0; simd && c < C; ++c) {
        const int32_t r = t.rows[c];
        simd = t.off[r] >= t.lo && t.off[r] + t.len[r] - 3 <= t.hi;
    }
    if (simd) {
        const size_t pad = 2 * (size_t)max_plane + 8; /* a channel's reads past a tile */
        uint8_t *copy = padded_blob((size_t)blob.len + pad);
        if (!copy) {
            PyErr_NoMemory();
            goto done;
        }
        memcpy(copy, blob.buf, (size_t)blob.len);
        memset(copy + blob.len, 0, pad);
        data = copy;
    }
#endif
    Py_ssize_t decoded = 0, first = 0;
#ifdef HAVE_AVX2_PATH
    for (; simd && first < n_order; first += SIMD_LANES) { /* batches of up to 32 tiles */
        const int k = n_order - first < SIMD_LANES ? (int)(n_order - first) : SIMD_LANES;
        Py_ssize_t planes[SIMD_LANES], ths[SIMD_LANES], tws[SIMD_LANES], plane_max = 0;
        for (int j = 0; j < k; ++j) {
            const Py_ssize_t gy = (order[first + j] / tiles_x) * tile;
            const Py_ssize_t gx = (order[first + j] % tiles_x) * tile;
            ths[j] = h - gy < tile ? h - gy : tile;
            tws[j] = w - gx < tile ? w - gx : tile;
            planes[j] = ths[j] * tws[j];
            if (planes[j] > plane_max) plane_max = planes[j];
            if (start_lane(lane + j, data, starts, order[first + j])) goto done;
        }
        if (decode_avx2(&t, lane, k, C, planes, plane_max, scratch, data)) goto done;
        for (int j = 0; j < k; ++j) {
            copy_window(scratch + j, 8 * ((k + 7) / 8), plane_max, order[first + j], tiles_x,
                        tile, C, ths[j], tws[j], y0, x0, wh, ww, flip, out.buf, out_h, out_w);
            decoded += C * planes[j];
        }
    }
#endif
    /* without AVX2: scalar lockstep batches of tiles of one size */
    for (Py_ssize_t group = 0; first < n_order;) {
        while (first >= group_end[group]) ++group;
        const Py_ssize_t left = group_end[group] - first;
        const int k = left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
        const Py_ssize_t gy = (order[first] / tiles_x) * tile;
        const Py_ssize_t gx0 = (order[first] % tiles_x) * tile;
        const Py_ssize_t th = h - gy < tile ? h - gy : tile;
        const Py_ssize_t tw = w - gx0 < tile ? w - gx0 : tile;
        const Py_ssize_t n = C * th * tw;
        for (int j = 0; j < k; ++j)
            if (start_lane(lane + j, data, starts, order[first + j])) goto done;
        const int failed = k == 8   ? decode_lanes(&t, lane, 8, C, th * tw, scratch, 1, n)
                           : k == 4 ? decode_lanes(&t, lane, 4, C, th * tw, scratch, 1, n)
                           : k == 2 ? decode_lanes(&t, lane, 2, C, th * tw, scratch, 1, n)
                                    : decode_lanes(&t, lane, 1, C, th * tw, scratch, 1, n);
        if (failed) goto done;
        for (int j = 0; j < k; ++j)
            copy_window(scratch + j * n, 1, th * tw, order[first + j], tiles_x, tile, C, th, tw, y0, x0,
                        wh, ww, flip, out.buf, out_h, out_w);
        decoded += k * n;
        first += k;
    }
    result = PyLong_FromSsize_t(decoded);
done:
    PyMem_Free(starts);
    PyMem_Free(order);
    PyMem_Free(lane);
    PyBuffer_Release(&blob);
    PyBuffer_Release(&rowbuf);
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&slots);
    PyBuffer_Release(&packed);
    PyBuffer_Release(&bucket_buf);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"build_tables", build_tables, METH_VARARGS,
     "build_tables(cdfs, stride, lengths, precision, slots, packed, buckets): check the "
     "tables and fill the slot table (rows x 4096 uint16), start | freq << 16 per symbol "
     "(rows x stride) and per bucket (rows x 4096, 0 where split)."},
    {"encode_tiles", encode_tiles, METH_VARARGS,
     "encode_tiles(values, C, h, w, tile, rows, cdfs, stride, lengths, offsets, precision) "
     "-> bytes: the tiled blob of an int32 latent."},
    {"decode_tiles", decode_tiles, METH_VARARGS,
     "decode_tiles(blob, C, h, w, tile, rows, cdfs, stride, lengths, offsets, precision, "
     "slots, packed, buckets, min_bits, lo, hi, y0, x0, wh, ww, flip, out, out_h, out_w) -> symbols "
     "decoded."},
    {"set_simd", set_simd, METH_VARARGS,
     "set_simd(allowed) -> previous: whether decode_tiles may use its AVX2 decoder (where "
     "the CPU has AVX2); False makes it use the scalar decoder, for tests."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tiled_rans",
                                    "The tiled rANS coder of .cdi version 2.", -1, methods};

PyMODINIT_FUNC PyInit__tiled_rans(void) { return PyModule_Create(&module); }
