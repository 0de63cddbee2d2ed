package fleet

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
)

// Wait blocks until the fleet's budget allows one call to the DingTalk
// API named api: first that API's own rate, then the fleet's total. Both
// are GCRA limits in Redis with a burst of one, so calls are spaced
// evenly and no one-second window at DingTalk can hold more than the
// limit, whichever replicas send them.
func (f *Fleet) Wait(ctx context.Context, api string) error {
	if err := f.wait(ctx, "rate:api:"+api, f.limits.PerAPI); err != nil {
		return err
	}
	return f.wait(ctx, "rate:total", f.limits.Total)
}

func (f *Fleet) wait(ctx context.Context, key string, perSecond int) error {
	if perSecond <= 0 {
		return nil
	}
	limit := redis_rate.Limit{Rate: perSecond, Period: time.Second, Burst: 1}
	for {
		f.trips.Rate.Add(1)
		res, err := f.rate.Allow(ctx, f.key(key), limit)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return unavailable(err)
		}
		if res.Allowed > 0 {
			return nil
		}
		t := time.NewTimer(res.RetryAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
