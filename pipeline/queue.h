/* queue.h: the only thing that couples two parts of the engine: a FIFO of pointers with
 * priority lanes, each lane optionally bounded. A full bounded lane makes its producer
 * wait (back-pressure); pop takes from the lowest-numbered non-empty lane. */
#ifndef SOHOA_QUEUE_H
#define SOHOA_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#define SH_QUEUE_LANES 2

typedef struct sh_queue sh_queue;

/* capacity[i] == 0: lane i is unbounded. */
sh_queue *sh_queue_new(const size_t capacity[SH_QUEUE_LANES]);
void sh_queue_free(sh_queue *q);

/* Blocks while the lane is full. Returns -1 if the queue was closed (item not queued)
 * or memory ran out. */
int sh_queue_push(sh_queue *q, unsigned lane, void *item);
/* Blocks until an item or close; NULL once closed and empty. *lane (if not NULL) tells
 * which lane the item came from. */
void *sh_queue_pop(sh_queue *q, unsigned *lane);
/* Wakes every waiter; pops drain what is left, pushes fail. */
void sh_queue_close(sh_queue *q);

#endif
