/*
 * aggregate_time: the time grid of an aggregate (see struct scw_agg_grid in aggregate.h):
 * fitting it to new times, folding every entry's buckets into a wider grid, re-binning the
 * buckets of an entry merged in (a state, a part of a file read in parallel). The per-event
 * step is aggregate_time_add (aggregate_impl.h): a subtraction, a shift and a compare; this
 * file is its slow path and the merge path. No I/O, no allocation.
 *
 * Why the result does not depend on order: the grid is a function of the bucketed times
 * (and of the widest grid merged in). With width 2^k and origin floor(lo / 2^k) * 2^k, the
 * grid holds [lo, hi] when floor(hi / 2^k) - floor(lo / 2^k) < 16; that only gets easier as k
 * grows, and floor(x / 2^k) is the same for every x of a bucket of a narrower grid, so the
 * narrowest k that holds the buckets is the narrowest that holds the events themselves.
 */
#include "aggregate.h"
#include "aggregate_impl.h"

#include <errno.h>

const struct scw_agg_grid *scw_aggregate_grid(const struct scw_aggregate *agg)
{
    return &agg->grid;
}

bool scw_agg_grid_valid(const struct scw_agg_grid *g)
{
    if (g->width == 0)
        return g->origin == 0;
    return g->width > 0 && g->width <= SCW_GRID_MAX_WIDTH && (g->width & (g->width - 1)) == 0 &&
           g->origin >= 0 && g->origin < SCW_GRID_TIME_LIMIT && g->origin % g->width == 0;
}

uint64_t scw_agg_buckets_sum(const uint32_t *buckets, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += buckets[i];
    return sum;
}

static unsigned log2_of(int64_t width)
{
    return (unsigned)__builtin_ctzll((unsigned long long)width);
}

/* The bucket of grid (origin, shift) that second t falls in (t >= origin). */
static uint64_t bucket_of(int64_t origin, unsigned shift, int64_t t)
{
    return (uint64_t)(t - origin) >> shift;
}

/* Move every entry's buckets (and the used mask) from the current grid to (origin, shift),
 * which holds all of them (aggregate_grid_fit made it so). */
static void fold(struct scw_aggregate *agg, int64_t origin, unsigned shift)
{
    int64_t o1 = agg->grid.origin;
    unsigned k1 = agg->grid_shift;
    for (size_t n = 0; n < agg->n_entries; n++) {
        uint32_t *b = agg->entries[n].buckets, nb[SCW_ENTRY_BUCKETS] = {0};
        bool any = false;
        for (unsigned i = 0; i < SCW_ENTRY_BUCKETS; i++) {
            if (!b[i])
                continue;
            uint64_t j = bucket_of(origin, shift, o1 + ((int64_t)i << k1));
            if (j < SCW_ENTRY_BUCKETS) /* always: the new grid holds every used bucket */
                nb[j] = scw_agg_bucket_add(nb[j], b[i]);
            any = true;
        }
        if (any)
            for (unsigned i = 0; i < SCW_ENTRY_BUCKETS; i++)
                b[i] = nb[i];
    }
    uint32_t used = 0;
    for (unsigned i = 0; i < SCW_ENTRY_BUCKETS; i++)
        if (agg->grid_used & (1u << i)) {
            uint64_t j = bucket_of(origin, shift, o1 + ((int64_t)i << k1));
            if (j < SCW_ENTRY_BUCKETS)
                used |= 1u << j;
        }
    agg->grid_used = used;
}

void aggregate_grid_fit(struct scw_aggregate *agg, int64_t lo, int64_t hi, unsigned min_shift)
{
    unsigned k = min_shift;
    bool have = agg->grid.width && agg->grid_used;
    if (have) {
        /* the used buckets stand for the events in them: any second of one will do */
        int64_t ulo =
            agg->grid.origin + ((int64_t)__builtin_ctz(agg->grid_used) << agg->grid_shift);
        int64_t uhi =
            agg->grid.origin + ((int64_t)(31 - __builtin_clz(agg->grid_used)) << agg->grid_shift);
        lo = ulo < lo ? ulo : lo;
        hi = uhi > hi ? uhi : hi;
        k = agg->grid_shift > k ? agg->grid_shift : k;
    }
    while ((hi >> k) - (lo >> k) >= SCW_ENTRY_BUCKETS)
        k++;
    int64_t origin = (lo >> k) << k;
    if (have && (origin != agg->grid.origin || k != agg->grid_shift))
        fold(agg, origin, k);
    agg->grid.origin = origin;
    agg->grid.width = INT64_C(1) << k;
    agg->grid_shift = k;
}

int aggregate_time_check(const uint32_t *buckets, const struct scw_agg_grid *g, uint64_t count)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < SCW_ENTRY_BUCKETS; i++) {
        if (!buckets[i])
            continue;
        if (!g || !g->width || !scw_agg_grid_valid(g) ||
            g->origin + (int64_t)i * g->width >= SCW_GRID_TIME_LIMIT)
            return -EINVAL;
        sum += buckets[i];
    }
    return sum > count ? -EINVAL : 0;
}

void aggregate_time_merge(struct scw_aggregate *agg, struct scw_agg_entry *e,
                          const uint32_t *buckets, const struct scw_agg_grid *g)
{
    int first = -1, last = -1;
    for (int i = 0; i < SCW_ENTRY_BUCKETS; i++)
        if (buckets[i]) {
            first = first < 0 ? i : first;
            last = i;
        }
    if (first < 0)
        return;
    unsigned k = log2_of(g->width);
    int64_t lo = g->origin + first * g->width, hi = g->origin + last * g->width;
    if (!agg->grid.width || k > agg->grid_shift || lo < agg->grid.origin ||
        bucket_of(agg->grid.origin, agg->grid_shift, hi) >= SCW_ENTRY_BUCKETS)
        aggregate_grid_fit(agg, lo, hi, k);
    /* the grid is at least as wide and aligned to its width: each bucket of g lies in one */
    for (int i = first; i <= last; i++) {
        if (!buckets[i])
            continue;
        uint64_t j = bucket_of(agg->grid.origin, agg->grid_shift, g->origin + i * g->width);
        e->buckets[j] = scw_agg_bucket_add(e->buckets[j], buckets[i]);
        agg->grid_used |= 1u << j;
    }
}
