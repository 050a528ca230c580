/*
 * loop: epoll + signalfd + timerfd (see loop.h). A fixed table of handlers, no allocation
 * while running.
 */
#include "loop.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_HANDLERS 32

enum kind { H_FREE, H_IO, H_SIGNAL, H_TIMER };

struct handler {
    enum kind kind;
    int fd;
    bool owned; /* fd closed by the loop (signalfd, timerfd) */
    void *ctx;
    scw_loop_io_fn io;
    scw_loop_signal_fn sig;
    scw_loop_timer_fn timer;
};

struct scw_loop {
    int epfd;
    bool stop;
    struct handler h[MAX_HANDLERS];
};

int scw_loop_new(struct scw_loop **ret)
{
    struct scw_loop *l = calloc(1, sizeof(*l));
    if (!l)
        return -ENOMEM;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        int e = -errno;
        free(l);
        return e;
    }
    *ret = l;
    return 0;
}

void scw_loop_free(struct scw_loop *l)
{
    if (!l)
        return;
    for (int i = 0; i < MAX_HANDLERS; i++)
        if (l->h[i].kind != H_FREE && l->h[i].owned)
            close(l->h[i].fd);
    close(l->epfd);
    free(l);
}

static int add(struct scw_loop *l, struct handler *proto)
{
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (l->h[i].kind != H_FREE)
            continue;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, proto->fd, &ev) < 0)
            return -errno;
        l->h[i] = *proto;
        return 0;
    }
    return -ENOSPC;
}

int scw_loop_add_fd(struct scw_loop *l, int fd, scw_loop_io_fn fn, void *ctx)
{
    struct handler h = {.kind = H_IO, .fd = fd, .ctx = ctx, .io = fn};
    return add(l, &h);
}

int scw_loop_del_fd(struct scw_loop *l, int fd)
{
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (l->h[i].kind != H_FREE && l->h[i].fd == fd) {
            epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
            if (l->h[i].owned)
                close(fd);
            l->h[i].kind = H_FREE;
            return 0;
        }
    }
    return -ENOENT;
}

int scw_loop_add_signals(struct scw_loop *l, const int *signals, int n, scw_loop_signal_fn fn,
                         void *ctx)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < n; i++)
        sigaddset(&set, signals[i]);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -errno;
    int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct handler h = {.kind = H_SIGNAL, .fd = fd, .owned = true, .ctx = ctx, .sig = fn};
    int rc = add(l, &h);
    if (rc < 0)
        close(fd);
    return rc;
}

int scw_loop_add_timer(struct scw_loop *l, unsigned interval_ms, scw_loop_timer_fn fn, void *ctx)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct itimerspec its = {
        .it_interval = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L},
        .it_value = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L},
    };
    struct handler h = {.kind = H_TIMER, .fd = fd, .owned = true, .ctx = ctx, .timer = fn};
    int rc = timerfd_settime(fd, 0, &its, NULL) < 0 ? -errno : add(l, &h);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return fd;
}

void scw_loop_stop(struct scw_loop *l)
{
    l->stop = true;
}

static void dispatch(struct handler *h, uint32_t events)
{
    switch (h->kind) {
    case H_IO:
        h->io(h->ctx, h->fd, events);
        break;
    case H_SIGNAL: {
        struct signalfd_siginfo si;
        while (read(h->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
            h->sig(h->ctx, (int)si.ssi_signo);
        break;
    }
    case H_TIMER: {
        uint64_t expirations;
        if (read(h->fd, &expirations, sizeof(expirations)) == (ssize_t)sizeof(expirations))
            h->timer(h->ctx);
        break;
    }
    case H_FREE:
        break;
    }
}

int scw_loop_run(struct scw_loop *l)
{
    struct epoll_event evs[MAX_HANDLERS];
    while (!l->stop) { /* a stop asked for before the loop runs (every source ended) holds */
        int n = epoll_wait(l->epfd, evs, MAX_HANDLERS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        for (int i = 0; i < n && !l->stop; i++) {
            uint32_t idx = evs[i].data.u32;
            if (idx < MAX_HANDLERS)
                dispatch(&l->h[idx], evs[i].events);
        }
    }
    return 0;
}
