/* The Python extension stub of the shared core: `import hebes._core` finds the library's file,
 * which hebes.envs then opens with ctypes (the interface is hebes_capi.h, not Python objects). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static struct PyModuleDef core = {PyModuleDef_HEAD_INIT, "_core", "hebes's C Ant (hebes_capi.h), for ctypes", -1, NULL,
                                  NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__core(void)
{
    return PyModule_Create(&core);
}
