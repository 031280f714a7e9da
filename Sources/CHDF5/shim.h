#ifndef FUSIONAI_CHDF5_SHIM_H
#define FUSIONAI_CHDF5_SHIM_H
#include <hdf5.h>

// HDF5's handles below are macros over library globals, which Swift cannot import;
// these wrappers give them names.
static inline hid_t fusionai_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t fusionai_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned fusionai_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned fusionai_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned fusionai_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline hid_t fusionai_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t fusionai_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t fusionai_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t fusionai_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t fusionai_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline hid_t fusionai_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t fusionai_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t fusionai_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t fusionai_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
#endif
