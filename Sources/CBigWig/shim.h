// libBigWig (Debian's libbigwig-dev, which ships no pkg-config file). fusionai writes and reads
// local files only, so the header is read without curl's: the library's structures are reached
// through pointers, and the only curl member is one arm of a union of pointers.
#define NOCURL
#include <bigWig.h>
