/* queue.c: bounded, laned FIFO (pipeline/queue.h): one mutex, two condition variables,
 * a singly linked list per lane. Items are the caller's; the queue never frees them. */
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

typedef struct node {
    struct node *next;
    void *item;
} node;

typedef struct lane {
    node *head, *tail;
    size_t len, cap;
} lane;

struct sh_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    lane lanes[SH_QUEUE_LANES];
    bool closed;
};

sh_queue *sh_queue_new(const size_t capacity[SH_QUEUE_LANES])
{
    sh_queue *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    for (unsigned i = 0; i < SH_QUEUE_LANES; i++)
        q->lanes[i].cap = capacity ? capacity[i] : 0;
    return q;
}

void sh_queue_free(sh_queue *q)
{
    if (!q)
        return;
    for (unsigned i = 0; i < SH_QUEUE_LANES; i++)
        for (node *n = q->lanes[i].head, *next; n; n = next) {
            next = n->next;
            free(n);
        }
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

int sh_queue_push(sh_queue *q, unsigned lane_no, void *item)
{
    node *n = malloc(sizeof *n);
    lane *l = &q->lanes[lane_no];

    if (!n)
        return -1;
    n->next = NULL;
    n->item = item;
    pthread_mutex_lock(&q->lock);
    while (!q->closed && l->cap && l->len >= l->cap)
        pthread_cond_wait(&q->not_full, &q->lock);
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        free(n);
        return -1;
    }
    if (l->tail)
        l->tail->next = n;
    else
        l->head = n;
    l->tail = n;
    l->len++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

void *sh_queue_pop(sh_queue *q, unsigned *lane_out)
{
    void *item = NULL;

    pthread_mutex_lock(&q->lock);
    for (;;) {
        for (unsigned i = 0; i < SH_QUEUE_LANES; i++) {
            lane *l = &q->lanes[i];
            node *n = l->head;
            if (!n)
                continue;
            l->head = n->next;
            if (!l->head)
                l->tail = NULL;
            l->len--;
            item = n->item;
            free(n);
            if (lane_out)
                *lane_out = i;
            if (l->cap)
                pthread_cond_broadcast(&q->not_full);
            goto out;
        }
        if (q->closed)
            goto out;
        pthread_cond_wait(&q->not_empty, &q->lock);
    }
out:
    pthread_mutex_unlock(&q->lock);
    return item;
}

void sh_queue_close(sh_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}
