/*
 * seqgap: sliding-window serial gap counting (see seqgap.h).
 */
#include "seqgap.h"

#include <string.h>

#define WORDS (SCW_SEQGAP_WINDOW / 64)

void scw_seqgap_init(struct scw_seqgap *g)
{
    memset(g, 0, sizeof(*g));
}

static bool test_bit(const struct scw_seqgap *g, uint64_t s)
{
    uint64_t i = s & (SCW_SEQGAP_WINDOW - 1);
    return g->bits[i / 64] >> (i % 64) & 1;
}

static void set_bit(struct scw_seqgap *g, uint64_t s)
{
    uint64_t i = s & (SCW_SEQGAP_WINDOW - 1);
    g->bits[i / 64] |= 1ULL << (i % 64);
}

static void clear_bit(struct scw_seqgap *g, uint64_t s)
{
    uint64_t i = s & (SCW_SEQGAP_WINDOW - 1);
    g->bits[i / 64] &= ~(1ULL << (i % 64));
}

/* Slide the window so that it starts at new_base, counting unseen serials that leave it. */
static void slide(struct scw_seqgap *g, uint64_t new_base)
{
    if (new_base - g->base >= SCW_SEQGAP_WINDOW) {
        /* everything in the window leaves: count unseen ones in [base, top], rest of the
         * jump (top, new_base) was never seen at all */
        uint64_t seen_in_window = 0;
        for (unsigned w = 0; w < WORDS; w++)
            seen_in_window += (uint64_t)__builtin_popcountll(g->bits[w]);
        uint64_t span = g->top >= g->base ? g->top - g->base + 1 : 0;
        g->lost += span - seen_in_window;
        if (new_base > g->top + 1)
            g->lost += new_base - g->top - 1;
        memset(g->bits, 0, sizeof(g->bits));
        g->base = new_base;
        return;
    }
    for (uint64_t s = g->base; s < new_base; s++) {
        if (s <= g->top && !test_bit(g, s))
            g->lost++;
        clear_bit(g, s);
    }
    g->base = new_base;
}

void scw_seqgap_see(struct scw_seqgap *g, uint64_t serial)
{
    if (serial == 0)
        return;
    if (!g->started) {
        g->started = true;
        g->base = serial;
        g->top = serial;
        set_bit(g, serial);
        g->seen = 1;
        return;
    }
    if (serial < g->base) {
        g->late++;
        if (g->lost)
            g->lost--; /* it was counted lost when it left the window */
        return;
    }
    if (serial >= g->base + SCW_SEQGAP_WINDOW)
        slide(g, serial - SCW_SEQGAP_WINDOW + 1);
    if (!test_bit(g, serial)) {
        set_bit(g, serial);
        g->seen++;
    }
    if (serial > g->top)
        g->top = serial;
}

uint64_t scw_seqgap_lost(const struct scw_seqgap *g)
{
    if (!g->started)
        return g->lost;
    uint64_t missing = 0;
    for (uint64_t s = g->base; s <= g->top; s++)
        missing += !test_bit(g, s);
    return g->lost + missing;
}
