/*
 * Escape-free decoding of CompressAI's 64-bit rANS streams (ryg_rans "Rans64" layout:
 * 32-bit little-endian words, a 64-bit state initialised from the first two words,
 * renormalisation below 2^31 by one word), straight from buffers.
 *
 * cdi_mm's own implementation of the published algorithm. It decodes exactly what
 * CompressAI's RansDecoder.decode_with_indexes returns for streams without escape
 * symbols; the escape interval decodes as the plain value cdf_length - 2 + offset
 * (callers treat it as an error or re-decode with bypass coding). Every word past the
 * end of the data reads as zero: a forged stream can never make it read out of bounds.
 * CompressAI's pybind11 API converts one Python int per symbol both ways; taking
 * buffers is what makes this one several times faster.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define RANS64_L (1ull << 31)

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

static PyObject *decode(PyObject *self, PyObject *args) {
    Py_buffer data, indexes, cdfs, lengths, offsets, out;
    Py_ssize_t stride;
    int precision;
    if (!PyArg_ParseTuple(args, "y*y*y*ny*y*iw*", &data, &indexes, &cdfs, &stride,
                          &lengths, &offsets, &precision, &out))
        return NULL;
    const Py_ssize_t n = indexes.len / 4, rows = lengths.len / 4;
    const int32_t *idx = indexes.buf, *cdf = cdfs.buf, *len = lengths.buf;
    const int32_t *off = offsets.buf;
    int32_t *dst = out.buf;
    PyObject *result = NULL;
    if (out.len < indexes.len || offsets.len != lengths.len || stride < 2 ||
        cdfs.len < rows * stride * 4 || precision < 1 || precision > 16) {
        PyErr_SetString(PyExc_ValueError, "inconsistent rANS tables or buffers");
        goto done;
    }
    for (Py_ssize_t r = 0; r < rows; ++r)
        if (len[r] < 2 || len[r] > stride) {
            PyErr_SetString(PyExc_ValueError, "cdf length outside its row");
            goto done;
        }
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
        const uint32_t cum = (uint32_t)(x & mask);
        int32_t s = 1;
        while (s < len[r] && (uint32_t)c[s] <= cum) ++s;
        s = s - 1 > len[r] - 2 ? len[r] - 2 : s - 1;
        x = (uint64_t)(c[s + 1] - c[s]) * (x >> precision) + (x & mask) - (uint64_t)c[s];
        if (x < RANS64_L) x = (x << 32) | next_word(&w);
        dst[i] = s + off[r];
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&indexes);
    PyBuffer_Release(&cdfs);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"decode", decode, METH_VARARGS,
     "decode(data, indexes, cdfs, stride, lengths, offsets, precision, out): "
     "escape-free rANS decoding of data into the int32 buffer out."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rans_decode",
                                    "Escape-free rANS decoding from buffers.", -1, methods};

PyMODINIT_FUNC PyInit__rans_decode(void) { return PyModule_Create(&module); }
