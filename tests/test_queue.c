/* test_queue: the engine's queue: FIFO order, lanes by priority, back-pressure on a full
 * bounded lane, close waking every waiter. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "queue.h"


static void *producer(void *arg)
{
    sh_queue *q = arg;
    for (uintptr_t i = 1; i <= 1000; i++)
        sh_queue_push(q, 1, (void *)i);
    return NULL;
}

int main(void)
{
    size_t caps[SH_QUEUE_LANES] = {0, 4};
    sh_queue *q = sh_queue_new(caps);
    unsigned lane = 9;

    /* priority: lane 0 first, FIFO within a lane */
    sh_queue_push(q, 1, (void *)1);
    sh_queue_push(q, 1, (void *)2);
    sh_queue_push(q, 0, (void *)3);
    CHECK(sh_queue_pop(q, &lane) == (void *)3 && lane == 0);
    CHECK(sh_queue_pop(q, &lane) == (void *)1 && lane == 1);
    CHECK(sh_queue_pop(q, NULL) == (void *)2);

    /* back-pressure: the producer can never be more than 4 ahead; order is kept */
    pthread_t t;
    pthread_create(&t, NULL, producer, q);
    usleep(20000);
    uintptr_t expect = 1;
    int in_order = 1;
    for (int i = 0; i < 1000; i++) {
        uintptr_t v = (uintptr_t)sh_queue_pop(q, NULL);
        in_order &= v == expect++;
    }
    pthread_join(t, NULL);
    CHECK(in_order);

    /* a full lane blocks its producer until a pop */
    for (uintptr_t i = 1; i <= 4; i++)
        sh_queue_push(q, 1, (void *)i);
    pthread_create(&t, NULL, producer, q);
    usleep(20000);
    /* still 4 queued: the producer is waiting */
    CHECK(sh_queue_pop(q, NULL) == (void *)1);
    sh_queue_close(q);
    pthread_join(t, NULL); /* close released it */
    int left = 0;
    while (sh_queue_pop(q, NULL))
        left++;
    CHECK(left >= 3 && left <= 4); /* drained after close; the producer's pushes failed */
    CHECK(sh_queue_push(q, 0, (void *)1) == -1);
    sh_queue_free(q);

    return check_report();
}
