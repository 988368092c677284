// numpy/scipy as oracles: a CPython interpreter embedded in the test process.
//
// The interpreter is initialized once, the GIL is released right away, and every use takes it
// (Swift Testing runs tests in parallel). It is never finalized. Data crosses as raw float64 bytes.
import CPython
import ComplexModule

enum EmbeddedPython {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Initializes the interpreter exactly once (Swift globals are initialized thread-safely).
    private static let ready: Bool = {
        Py_InitializeEx(0)
        _ = PyEval_SaveThread()
        return true
    }()

    /// The driver: runs the test's code in a fresh namespace holding its inputs as numpy arrays and
    /// returns `result` as float64 bytes (complex results as interleaved re, im), or a traceback.
    private static let driver = """
    import traceback
    import numpy as np
    _out, _err = b"", ""
    try:
        _ns = {"np": np}
        for _name, (_bytes, _shape, _complex) in _inputs.items():
            _a = np.frombuffer(_bytes, dtype=np.float64)
            if _complex:
                _a = _a.view(np.complex128)
            _ns[_name] = _a.reshape(_shape).copy()
        exec(_code, _ns)
        _r = np.asarray(_ns["result"])
        _r = _r.astype(np.complex128 if np.iscomplexobj(_r) else np.float64)
        _out = np.ascontiguousarray(_r).view(np.float64).tobytes()
    except BaseException:
        _err = traceback.format_exc()
    """

    /// An input array: flat float64 values (complex as re, im pairs), its shape, and whether complex.
    struct Input {
        var values: [Double]
        var shape: [Int]
        var isComplex = false

        static func real(_ values: [Double], _ shape: Int...) -> Input {
            Input(values: values, shape: shape)
        }

        static func complex(_ values: [Complex<Double>], _ shape: Int...) -> Input {
            Input(values: values.flatMap { [$0.real, $0.imaginary] }, shape: shape, isComplex: true)
        }
    }

    /// Runs `code` (which must assign `result`) with `inputs` bound as numpy arrays; returns the
    /// flattened float64 result (complex results interleaved). Throws the Python traceback on error.
    static func evaluate(_ code: String, _ inputs: [String: Input] = [:]) throws -> [Double] {
        precondition(ready)
        let gil = PyGILState_Ensure()
        defer { PyGILState_Release(gil) }

        let globals = PyDict_New()!
        defer { Py_DecRef(globals) }
        PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins())
        let inputDict = PyDict_New()!
        for (name, input) in inputs {
            let bytes = input.values.withUnsafeBytes {
                PyBytes_FromStringAndSize($0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
            }
            let shape = PyTuple_New(input.shape.count)!
            for (i, s) in input.shape.enumerated() { PyTuple_SetItem(shape, i, PyLong_FromLong(s)) }
            let entry = PyTuple_New(3)!
            PyTuple_SetItem(entry, 0, bytes)
            PyTuple_SetItem(entry, 1, shape)
            PyTuple_SetItem(entry, 2, PyBool_FromLong(input.isComplex ? 1 : 0))
            PyDict_SetItemString(inputDict, name, entry)
            Py_DecRef(entry)
        }
        PyDict_SetItemString(globals, "_inputs", inputDict)
        Py_DecRef(inputDict)
        let codeObject = PyUnicode_FromString(code)
        PyDict_SetItemString(globals, "_code", codeObject)
        Py_DecRef(codeObject)

        guard let run = PyRun_String(driver, Py_file_input, globals, globals) else {
            PyErr_Print()
            throw Failure(description: "the Python driver itself failed")
        }
        Py_DecRef(run)
        if let err = PyDict_GetItemString(globals, "_err"), PyUnicode_GetLength(err) > 0 {
            throw Failure(description: String(cString: PyUnicode_AsUTF8(err)))
        }
        guard let out = PyDict_GetItemString(globals, "_out") else {
            throw Failure(description: "no result")
        }
        let count = PyBytes_Size(out) / MemoryLayout<Double>.size
        let base = UnsafeRawPointer(PyBytes_AsString(out)!)
        return (0..<count).map { base.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self) }
    }
}
