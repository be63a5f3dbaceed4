/*
 * Encoding and bounded decoding of CompressAI's 64-bit rANS streams (ryg_rans "Rans64" layout: 32-bit
 * little-endian words, a 64-bit state initialised from the first two words,
 * renormalisation below 2^31 by one word), straight from buffers, escapes included.
 *
 * cdi_mm's own implementation of the published algorithm. For every stream CompressAI's
 * RansEncoder writes, it returns exactly what RansDecoder.decode_with_indexes returns:
 * the last entry of a row's CDF is the escape, after which the value follows in 4-bit
 * bypass chunks (a chunk count, itself in chunks of at most 15, then the chunks).
 * The symbol search starts from a 256-bucket table per CDF row (1-2 steps instead of a
 * scan from the first symbol), built once per state of the tables (build_lookup); any
 * start outside its row falls back to the first symbol, so no table makes it unsafe. Unlike CompressAI's decoder it is safe on forged streams:
 *   - every word past the end of the data reads as zero: it never reads out of bounds;
 *   - an escape may announce at most 8 chunks (a 32-bit value; CompressAI's encoder
 *     never writes more), so each symbol reads at most 12 words;
 *   - it returns the final state and the number of bytes read, so the caller can check
 *     that the stream was complete (the encoder starts from state 2^31 and writes every
 *     word it produces: a complete stream ends in state 2^31 with every byte read).
 * The encoder writes the same bytes as CompressAI's RansEncoder.encode_with_indexes, into
 * a buffer that grows as needed: CompressAI's reserves one word per symbol and writes
 * before its start when a stream needs more (few symbols, or many escapes), and its
 * escape arithmetic overflows for values of 2^30 and more; here a value whose escape
 * needs more than 8 chunks is refused.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define RANS64_L (1ull << 31)
#define BYPASS_BITS 4
#define MAX_BYPASS_CHUNKS 8
/* Buckets per CDF row of the table that starts the symbol search near its answer. */
#define LOOKUP_BITS 8

typedef struct {
    const uint8_t *data;
    Py_ssize_t size, pos;
} Words;

static uint32_t next_word(Words *w) {
    uint32_t word = 0;
    for (int k = 0; k < 4; ++k, ++w->pos)
        if (w->pos < w->size)
            word |= (uint32_t)w->data[w->pos] << (8 * k);
    return word;
}

static uint32_t get_bits(uint64_t *x, Words *w) {
    const uint32_t value = (uint32_t)(*x & ((1u << BYPASS_BITS) - 1));
    *x >>= BYPASS_BITS;
    if (*x < RANS64_L) *x = (*x << 32) | next_word(w);
    return value;
}

/* The checks both directions make before touching the tables; 0 when they hold. */
static int check_tables(Py_ssize_t rows, const int32_t *len, Py_ssize_t stride,
                        Py_ssize_t cdf_bytes, Py_ssize_t offset_bytes, int precision) {
    if (offset_bytes != rows * 4 || stride < 2 || cdf_bytes < rows * stride * 4 ||
        precision < 1 || precision > 16) {
        PyErr_SetString(PyExc_ValueError, "inconsistent rANS tables or buffers");
        return -1;
    }
    for (Py_ssize_t r = 0; r < rows; ++r)
        if (len[r] < 2 || len[r] > stride) {
            PyErr_SetString(PyExc_ValueError, "cdf length outside its row");
            return -1;
        }
    return 0;
}

/* Where the symbol search may start for each of the 2^bits buckets of cumulative
 * frequencies (bucket b holds cum in [b << shift, (b + 1) << shift)): the first s >= 1
 * with c[s] > (b << shift), or len. Every c[s] before it is <= b << shift <= cum, so the
 * linear search from there finds the same symbol as from s = 1, for any table (the
 * running maximum makes one sweep enough even if a forged row is not increasing). */
static void fill_lookup(int32_t *start, const int32_t *c, int32_t len, int bits,
                        int shift) {
    int32_t s = 1;
    uint32_t running_max = (uint32_t)c[1];
    for (uint32_t b = 0; b < (1u << bits); ++b) {
        const uint32_t low = b << shift;
        while (s < len && running_max <= low) {
            ++s;
            if (s < len && (uint32_t)c[s] > running_max) running_max = (uint32_t)c[s];
        }
        start[b] = s;
    }
    for (uint32_t b = 1u << bits; b < (1u << LOOKUP_BITS); ++b) start[b] = s;
}

/* build_lookup(cdfs, stride, lengths, precision, out): fill out (rows x 2^LOOKUP_BITS
 * int32) with the search starts of every row, once per state of the tables. */
static PyObject *build_lookup(PyObject *self, PyObject *args) {
    Py_buffer cdfs, lengths, out;
    Py_ssize_t stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*ny*iw*", &cdfs, &stride, &lengths, &precision, &out))
        return NULL;
    const Py_ssize_t rows = lengths.len / 4;
    const int32_t *cdf = cdfs.buf, *len = lengths.buf;
    PyObject *result = NULL;
    if (check_tables(rows, len, stride, cdfs.len, rows * 4, precision)) goto done;
    if (out.len < rows * (1 << LOOKUP_BITS) * 4) {
        PyErr_SetString(PyExc_ValueError, "lookup buffer shorter than rows x 256");
        goto done;
    }
    const int shift = precision > LOOKUP_BITS ? precision - LOOKUP_BITS : 0;
    for (Py_ssize_t r = 0; r < rows; ++r)
        fill_lookup((int32_t *)out.buf + r * (1 << LOOKUP_BITS), cdf + r * stride, len[r],
                    precision - shift, shift);
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&out);
    return result;
}

static PyObject *decode(PyObject *self, PyObject *args) {
    Py_buffer data, indexes, cdfs, lengths, offsets, lookups, out;
    Py_ssize_t stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*y*y*ny*y*iy*w*", &data, &indexes, &cdfs, &stride,
                          &lengths, &offsets, &precision, &lookups, &out))
        return NULL;
    const Py_ssize_t n = indexes.len / 4, rows = lengths.len / 4;
    const int32_t *idx = indexes.buf, *cdf = cdfs.buf, *len = lengths.buf;
    const int32_t *off = offsets.buf;
    const int32_t *lookup = lookups.buf;
    int32_t *dst = out.buf;
    PyObject *result = NULL;
    if (out.len < indexes.len) {
        PyErr_SetString(PyExc_ValueError, "output buffer shorter than the indexes");
        goto done;
    }
    if (check_tables(rows, len, stride, cdfs.len, offsets.len, precision)) goto done;
    if (lookups.len < rows * (1 << LOOKUP_BITS) * 4) {
        PyErr_SetString(PyExc_ValueError, "lookup buffer shorter than rows x 256");
        goto done;
    }
    const int shift = precision > LOOKUP_BITS ? precision - LOOKUP_BITS : 0;
    Words w = {data.buf, data.len, 0};
    const uint64_t mask = (1ull << precision) - 1;
    uint64_t x = next_word(&w);
    x |= (uint64_t)next_word(&w) << 32;
    for (Py_ssize_t i = 0; i < n; ++i) {
        const int32_t r = idx[i];
        if (r < 0 || r >= rows) {
            PyErr_SetString(PyExc_ValueError, "cdf index out of range");
            goto done;
        }
        const int32_t *c = cdf + r * stride;
        const int32_t max_value = len[r] - 2;
        const uint32_t cum = (uint32_t)(x & mask);
        int32_t s = lookup[r * (1 << LOOKUP_BITS) + (cum >> shift)];
        if ((uint32_t)(s - 1) >= (uint32_t)len[r]) s = 1;  /* never trust a start */
        while (s < len[r] && (uint32_t)c[s] <= cum) ++s;
        s = s - 1 > max_value ? max_value : s - 1;
        x = (uint64_t)(c[s + 1] - c[s]) * (x >> precision) + (x & mask) - (uint64_t)c[s];
        if (x < RANS64_L) x = (x << 32) | next_word(&w);
        int64_t value = s;
        if (s == max_value) {  /* escape: the value follows in bypass chunks */
            uint32_t chunk = get_bits(&x, &w), chunks = chunk;
            while (chunk == (1u << BYPASS_BITS) - 1 && chunks <= MAX_BYPASS_CHUNKS) {
                chunk = get_bits(&x, &w);
                chunks += chunk;
            }
            if (chunks > MAX_BYPASS_CHUNKS) {
                PyErr_Format(PyExc_ValueError,
                             "escape at symbol %zd announces more than %d bypass chunks",
                             i, MAX_BYPASS_CHUNKS);
                goto done;
            }
            uint32_t raw = 0;
            for (uint32_t j = 0; j < chunks; ++j)
                raw |= get_bits(&x, &w) << (j * BYPASS_BITS);
            value = (int64_t)(raw >> 1);
            value = (raw & 1) ? -value - 1 : value + max_value;
        }
        value += off[r];
        if (value < INT32_MIN || value > INT32_MAX) {
            PyErr_Format(PyExc_ValueError, "escaped value at symbol %zd overflows int32", i);
            goto done;
        }
        dst[i] = (int32_t)value;
    }
    result = Py_BuildValue("Kn", (unsigned long long)x, w.pos);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&indexes);
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&lookups);
    PyBuffer_Release(&out);
    return result;
}

typedef struct {
    uint32_t *words;
    size_t count, capacity;
} WordStack;

static int push_word(WordStack *st, uint32_t word) {
    if (st->count == st->capacity) {
        size_t capacity = st->capacity ? 2 * st->capacity : 64;
        uint32_t *grown = PyMem_Realloc(st->words, capacity * sizeof(uint32_t));
        if (!grown) return -1;
        st->words = grown;
        st->capacity = capacity;
    }
    st->words[st->count++] = word;
    return 0;
}

/* x = C(s, x) for a symbol of frequency freq starting at start (scale bits precision),
 * emitting a word first when the state would overflow. */
static int put_symbol(uint64_t *x, WordStack *st, uint32_t start, uint32_t freq,
                      int precision) {
    const uint64_t x_max = ((RANS64_L >> precision) << 32) * freq;
    if (*x >= x_max) {
        if (push_word(st, (uint32_t)*x)) return -1;
        *x >>= 32;
    }
    *x = ((*x / freq) << precision) + (*x % freq) + start;
    return 0;
}

static int put_bits(uint64_t *x, WordStack *st, uint32_t value) {
    return put_symbol(x, st, value, 1, BYPASS_BITS);
}

static PyObject *encode(PyObject *self, PyObject *args) {
    Py_buffer values, indexes, cdfs, lengths, offsets;
    Py_ssize_t stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*y*y*ny*y*i", &values, &indexes, &cdfs, &stride,
                          &lengths, &offsets, &precision))
        return NULL;
    const Py_ssize_t n = indexes.len / 4, rows = lengths.len / 4;
    const int32_t *val = values.buf, *idx = indexes.buf, *cdf = cdfs.buf;
    const int32_t *len = lengths.buf, *off = offsets.buf;
    WordStack st = {NULL, 0, 0};
    PyObject *result = NULL;
    if (values.len != indexes.len) {
        PyErr_SetString(PyExc_ValueError, "values and indexes differ in length");
        goto done;
    }
    if (check_tables(rows, len, stride, cdfs.len, offsets.len, precision)) goto done;
    for (Py_ssize_t r = 0; r < rows; ++r) {
        const int32_t *c = cdf + r * stride;
        int ok = c[0] == 0 && c[len[r] - 1] == (1 << precision);
        for (int32_t k = 0; ok && k + 1 < len[r]; ++k) ok = c[k + 1] > c[k];
        if (!ok) {
            PyErr_Format(PyExc_ValueError, "cdf row %zd is not a valid quantized cdf", r);
            goto done;
        }
    }
    uint64_t x = RANS64_L;
    for (Py_ssize_t i = n - 1; i >= 0; --i) {  /* rANS encodes backwards */
        const int32_t r = idx[i];
        if (r < 0 || r >= rows) {
            PyErr_SetString(PyExc_ValueError, "cdf index out of range");
            goto done;
        }
        const int32_t *c = cdf + r * stride;
        const int32_t max_value = len[r] - 2;
        int64_t value = (int64_t)val[i] - off[r];
        if (value < 0 || value >= max_value) {  /* escape, then the value in chunks */
            const uint64_t raw = value < 0 ? (uint64_t)(-2 * value - 1)
                                           : (uint64_t)(2 * (value - max_value));
            uint32_t chunks = 0;
            while (chunks < 9 && (raw >> (chunks * BYPASS_BITS)) != 0) ++chunks;
            if (chunks > MAX_BYPASS_CHUNKS) {
                PyErr_Format(PyExc_ValueError, "value %d at symbol %zd is too far outside "
                             "its table to code", val[i], i);
                goto done;
            }
            for (int j = (int)chunks - 1; j >= 0; --j)
                if (put_bits(&x, &st, (uint32_t)(raw >> (j * BYPASS_BITS)) & 15)) goto nomem;
            if (put_bits(&x, &st, chunks)) goto nomem;  /* chunks <= 8 < 15 */
            value = max_value;
        }
        if (put_symbol(&x, &st, (uint32_t)c[value], (uint32_t)(c[value + 1] - c[value]),
                       precision))
            goto nomem;
    }
    /* flush: the final state's two words, then the emitted words, last one first */
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(4 * (st.count + 2)));
    if (!result) goto done;
    uint8_t *out = (uint8_t *)PyBytes_AS_STRING(result);
    uint32_t head[2] = {(uint32_t)x, (uint32_t)(x >> 32)};
    for (size_t k = 0; k < st.count + 2; ++k) {
        const uint32_t word = k < 2 ? head[k] : st.words[st.count - 1 - (k - 2)];
        for (int b = 0; b < 4; ++b) out[4 * k + b] = (uint8_t)(word >> (8 * b));
    }
    goto done;
nomem:
    PyErr_NoMemory();
done:
    PyMem_Free(st.words);
    PyBuffer_Release(&values);
    PyBuffer_Release(&indexes);
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&offsets);
    return result;
}

static PyMethodDef methods[] = {
    {"encode", encode, METH_VARARGS,
     "encode(values, indexes, cdfs, stride, lengths, offsets, precision) -> bytes: rANS "
     "encoding of int32 values, byte-identical to CompressAI's RansEncoder."},
    {"build_lookup", build_lookup, METH_VARARGS,
     "build_lookup(cdfs, stride, lengths, precision, out): the search starts of every "
     "CDF row (rows x 256 int32) into out, for decode."},
    {"decode", decode, METH_VARARGS,
     "decode(data, indexes, cdfs, stride, lengths, offsets, precision, lookup, out) -> "
     "(final_state, bytes_read): bounded rANS decoding of data into the int32 buffer "
     "out."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rans_decode",
                                    "rANS encoding and bounded decoding from buffers.", -1, methods};

PyMODINIT_FUNC PyInit__rans_decode(void) { return PyModule_Create(&module); }
