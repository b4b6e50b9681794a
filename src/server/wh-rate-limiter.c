/* wh-rate-limiter.c — a token bucket per key */
#include "config.h"

#include "wh-rate-limiter.h"

/* How many buckets may pile up before full ones are dropped. */
#define PRUNE_THRESHOLD 4096

typedef struct {
  double tokens;
  gint64 last;
} Bucket;

struct _WhRateLimiter {
  GObject     parent_instance;
  double      rate;
  double      burst;
  GHashTable *buckets; /* key → Bucket */
};

G_DEFINE_FINAL_TYPE (WhRateLimiter, wh_rate_limiter, G_TYPE_OBJECT)

static void
wh_rate_limiter_finalize (GObject *object)
{
  WhRateLimiter *self = WH_RATE_LIMITER (object);

  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (wh_rate_limiter_parent_class)->finalize (object);
}

static void
wh_rate_limiter_class_init (WhRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_rate_limiter_finalize;
}

static void
wh_rate_limiter_init (WhRateLimiter *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

WhRateLimiter *
wh_rate_limiter_new (double rate,
                     guint  burst)
{
  WhRateLimiter *self;

  g_return_val_if_fail (rate > 0, NULL);

  self = g_object_new (WH_TYPE_RATE_LIMITER, NULL);
  self->rate = rate;
  self->burst = MAX (burst, 1);
  return self;
}

static void
refill (WhRateLimiter *self,
        Bucket        *bucket,
        gint64         now)
{
  if (now > bucket->last)
    {
      bucket->tokens = MIN (self->burst,
                            bucket->tokens + (now - bucket->last) * self->rate / G_USEC_PER_SEC);
      bucket->last = now;
    }
}

static void
prune (WhRateLimiter *self,
       gint64         now)
{
  GHashTableIter iter;
  Bucket *bucket;

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    {
      refill (self, bucket, now);
      /* A full bucket holds nothing a fresh one would not. */
      if (bucket->tokens >= self->burst)
        g_hash_table_iter_remove (&iter);
    }
}

gboolean
wh_rate_limiter_take (WhRateLimiter *self,
                      const char    *key,
                      gint64         now,
                      gint64        *retry_after)
{
  Bucket *bucket;

  g_return_val_if_fail (WH_IS_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (retry_after != NULL)
    *retry_after = 0;

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= PRUNE_THRESHOLD)
        prune (self, now);
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->last = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  refill (self, bucket, now);

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  if (retry_after != NULL)
    *retry_after = (gint64) ((1.0 - bucket->tokens) / self->rate * G_USEC_PER_SEC) + 1;
  return FALSE;
}
