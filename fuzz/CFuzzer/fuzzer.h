#ifndef FUSIONAI_CFUZZER_H
#define FUSIONAI_CFUZZER_H
#include <stddef.h>
#include <stdint.h>
// libFuzzer's driver (linked by -sanitize=fuzzer): a harness's own main hands it the callback, which
// SwiftPM's executables need (their main is their top-level code, so libFuzzer's main is not used).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
