// See CMallocArena.h and Fleetcast+Entry.swift (`shareOneMallocArena`) for why.
#include "CMallocArena.h"

#include <stdlib.h>   // first: it defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void fleetcast_share_one_malloc_arena(void) {
#if defined(__GLIBC__)
    if (getenv("MALLOC_ARENA_MAX") == NULL) {
        mallopt(M_ARENA_MAX, 1);
    }
#endif
}
