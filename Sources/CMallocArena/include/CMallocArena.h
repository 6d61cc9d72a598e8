#ifndef CMALLOCARENA_H
#define CMALLOCARENA_H

/// Limits glibc malloc to one arena for all threads (mallopt M_ARENA_MAX, which Swift's Glibc module does not
/// import), unless MALLOC_ARENA_MAX is set in the environment. Does nothing on other C libraries. Must be
/// called before a second thread allocates: glibc fixes the limit when it creates its first extra arena.
void fleetcast_share_one_malloc_arena(void);

#endif
