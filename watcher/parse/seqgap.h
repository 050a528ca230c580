/*
 * seqgap: count audit records lost by the reader from gaps in the audit serial numbers.
 *
 * The kernel never drops SECCOMP records under load (it makes the logging task wait); the
 * reader's socket does, and one ENOBUFS can stand for hundreds of thousands of records. Every
 * audit event has a serial (audit(TIME:SERIAL)), shared by the records of one event and
 * assigned in increasing order, but CPUs may deliver them slightly out of order. A sliding
 * bitmap window tolerates reordering: a serial counts as lost only once it leaves the window
 * unseen (or at finish). No allocation after init, no syscalls.
 */
#ifndef SCW_SEQGAP_H
#define SCW_SEQGAP_H

#include <stdbool.h>
#include <stdint.h>

#define SCW_SEQGAP_WINDOW 65536 /* serials; must be a power of two */

struct scw_seqgap {
    uint64_t base; /* lowest serial still in the window */
    uint64_t top;  /* highest serial seen */
    uint64_t lost; /* serials that left the window unseen */
    uint64_t seen; /* distinct serials seen */
    uint64_t late; /* serials older than the window (already counted lost, then seen) */
    bool started;
    uint64_t bits[SCW_SEQGAP_WINDOW / 64];
};

void scw_seqgap_init(struct scw_seqgap *g);
/* Note a serial (0 = none, ignored). Duplicates (records of one event) are fine. */
void scw_seqgap_see(struct scw_seqgap *g, uint64_t serial);
/* Serials known lost so far, plus those still missing inside the window (for reports). */
uint64_t scw_seqgap_lost(const struct scw_seqgap *g);

#endif
