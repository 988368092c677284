/* Embedded CPython for the cross-check tests. <sys/select.h> must come first (clean builds fail
 * otherwise: Python.h's pyport.h uses struct timeval before the Glibc module defines it). */
#ifndef SSMKIT_CPYTHON_SHIM_H
#define SSMKIT_CPYTHON_SHIM_H
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif
