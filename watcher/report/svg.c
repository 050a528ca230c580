/*
 * svg: inline SVG charts for report_html.c (see svg.h). Geometry is in user units with a
 * viewBox, so the page scales them (screen and print); colours come from the page's CSS
 * classes, so one stylesheet themes both charts and tables.
 */
#include "svg.h"

#include "report.h"
#include "report_esc.h"

#define LABEL_W 170 /* left column: the syscall */
#define PLOT_W  720
#define COUNT_W 90 /* right column: the count */
#define ROW_H   16
#define AXIS_H  30

static double x_of(int64_t t, int64_t t0, int64_t t1)
{
    if (t1 <= t0)
        return LABEL_W;
    if (t < t0)
        t = t0;
    if (t > t1)
        t = t1;
    return LABEL_W + (double)(t - t0) * PLOT_W / (double)(t1 - t0);
}

static void axis(FILE *out, int64_t t0, int64_t t1, double y)
{
    char a[40], b[40];
    scw_report_fmt_time(t0 / 1000, (uint32_t)(t0 % 1000), a, sizeof(a));
    scw_report_fmt_time(t1 / 1000, (uint32_t)(t1 % 1000), b, sizeof(b));
    fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", LABEL_W, y,
            LABEL_W + PLOT_W, y);
    fprintf(out, "<text class=\"tick\" x=\"%d\" y=\"%.1f\">%s</text>", LABEL_W, y + 14, a);
    fprintf(out, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s UTC</text>",
            LABEL_W + PLOT_W, y + 14, b);
}

static void buckets(FILE *out, const struct scw_svg_row *r, double y, int64_t t0, int64_t t1)
{
    uint64_t max = 0;
    for (size_t i = 0; i < r->n_buckets; i++)
        if (r->buckets[i] > max)
            max = r->buckets[i];
    for (size_t i = 0; max && i < r->n_buckets; i++) {
        if (!r->buckets[i])
            continue;
        int64_t b0 = r->bucket0_ms + (int64_t)i * r->bucket_ms;
        double x0 = x_of(b0, t0, t1), x1 = x_of(b0 + r->bucket_ms, t0, t1);
        double h = (ROW_H - 4) * (double)r->buckets[i] / (double)max;
        char when[40], cnt[32];
        scw_report_fmt_time(b0 / 1000, (uint32_t)(b0 % 1000), when, sizeof(when));
        scw_report_fmt_count(r->buckets[i], cnt, sizeof(cnt));
        fprintf(out,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                "<title>",
                r->css_class, x0, y + ROW_H - 2 - h, x1 - x0 < 1 ? 1 : x1 - x0, h);
        scw_esc_put(out, SCW_ESC_HTML, r->label);
        fprintf(out, ": %s in %lld s from %s UTC</title></rect>", cnt,
                (long long)(r->bucket_ms / 1000), when);
    }
}

void scw_svg_timeline(FILE *out, const struct scw_svg_row *rows, size_t n, int64_t t0_ms,
                      int64_t t1_ms)
{
    int w = LABEL_W + PLOT_W + COUNT_W;
    double h = (double)n * ROW_H + AXIS_H;
    fprintf(out,
            "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
            "width=\"%d\" height=\"%.0f\" role=\"img\">",
            w, h, w, h);
    for (size_t i = 0; i < n; i++) {
        const struct scw_svg_row *r = &rows[i];
        double y = (double)i * ROW_H;
        char cnt[32];
        scw_report_fmt_count(r->count, cnt, sizeof(cnt));
        fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 6,
                y + ROW_H - 4);
        scw_esc_put(out, SCW_ESC_HTML, r->label);
        fputs("</text>", out);
        if (r->buckets && r->n_buckets && r->bucket_ms > 0) {
            buckets(out, r, y, t0_ms, t1_ms);
        } else {
            double x0 = x_of(r->first_ms, t0_ms, t1_ms), x1 = x_of(r->last_ms, t0_ms, t1_ms);
            fprintf(out,
                    "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                    "rx=\"2\"><title>",
                    r->css_class, x0, y + 3, x1 - x0 < 3 ? 3 : x1 - x0, ROW_H - 6);
            scw_esc_put(out, SCW_ESC_HTML, r->label);
            fprintf(out, ": %s</title></rect>", cnt);
        }
        fprintf(out, "<text class=\"count\" x=\"%d\" y=\"%.1f\">%s</text>", LABEL_W + PLOT_W + 6,
                y + ROW_H - 4, cnt);
    }
    axis(out, t0_ms, t1_ms, (double)n * ROW_H + 4);
    fputs("</svg>\n", out);
}

void scw_svg_stacked_bar(FILE *out, const struct scw_svg_part *parts, size_t n)
{
    const int W = 600, H = 18;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += parts[i].count;
    fprintf(out,
            "<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
            "width=\"%d\" height=\"%d\" role=\"img\">",
            W, H + 18, W, H + 18);
    double x = 0, lx = 0;
    for (size_t i = 0; i < n; i++) {
        if (total && parts[i].count) {
            double w = (double)W * (double)parts[i].count / (double)total;
            fprintf(out,
                    "<rect class=\"%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\">"
                    "<title>%s: %llu</title></rect>",
                    parts[i].css_class, x, w, H, parts[i].label,
                    (unsigned long long)parts[i].count);
            x += w;
        }
        fprintf(out,
                "<rect class=\"%s\" x=\"%.0f\" y=\"%d\" width=\"10\" height=\"10\"/>"
                "<text class=\"tick\" x=\"%.0f\" y=\"%d\">%s %llu</text>",
                parts[i].css_class, lx, H + 6, lx + 14, H + 15, parts[i].label,
                (unsigned long long)parts[i].count);
        lx += 120;
    }
    fputs("</svg>\n", out);
}
