/* wh-rate-limiter.h — a token bucket per key (a bearer token, a remote address)
 *
 * Each key may spend @burst requests at once and then @rate per second. Buckets that have
 * filled up again are forgotten now and then, so the table stays as small as the set of
 * keys that are actually busy.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WH_TYPE_RATE_LIMITER (wh_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (WhRateLimiter, wh_rate_limiter, WH, RATE_LIMITER, GObject)

/**
 * wh_rate_limiter_new:
 * @rate: requests per second a key earns back
 * @burst: the most requests a key can spend at once (at least 1)
 */
WhRateLimiter *wh_rate_limiter_new  (double         rate,
                                     guint          burst);

/**
 * wh_rate_limiter_take:
 * @key: whose bucket
 * @now: monotonic microseconds
 * @retry_after: (out) (optional): when refused, microseconds until one request is earned
 *
 * Returns: %TRUE when the request may go ahead
 */
gboolean       wh_rate_limiter_take (WhRateLimiter *self,
                                     const char    *key,
                                     gint64         now,
                                     gint64        *retry_after);

G_END_DECLS
