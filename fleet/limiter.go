package fleet

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Wait blocks until the fleet's budget allows one call to the DingTalk
// API named api: that API's own rate and the fleet's total, both at once.
// Each is a GCRA limit in Redis with a burst of one, so calls are spaced
// evenly and no one-second window at DingTalk can hold more than the
// limit, whichever replicas send them.
func (f *Fleet) Wait(ctx context.Context, api string) error {
	var keys []string
	var intervals []any
	for _, b := range []struct {
		key       string
		perSecond int
	}{{"rate:api:" + api, f.limits.PerAPI}, {"rate:total", f.limits.Total}} {
		if b.perSecond > 0 {
			keys = append(keys, f.key(b.key))
			intervals = append(intervals, emissionInterval(b.perSecond).Microseconds())
		}
	}
	if len(keys) == 0 {
		return nil
	}
	for {
		f.trips.Rate.Add(1)
		wait, err := gcra.Run(ctx, f.rdb, keys, intervals...).Int64()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return unavailable(err)
		}
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(time.Duration(wait) * time.Microsecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// emissionInterval is the spacing of calls at perSecond, rounded up so
// that the rate is never exceeded.
func emissionInterval(perSecond int) time.Duration {
	return (time.Second + time.Duration(perSecond) - 1) / time.Duration(perSecond)
}

// gcra is GCRA with a burst of one over every key it is given, in one
// round trip: a call is allowed when each key's theoretical arrival time
// (TAT, microseconds on Redis's clock) has come, and then every TAT moves
// to now plus its key's interval (ARGV, microseconds). Otherwise nothing
// changes, so a call held back by one budget does not spend another, and
// the script answers how many microseconds to wait. Redis's own clock
// keeps the replicas' clocks out of it; scripts have replicated their
// effects rather than themselves since Redis 5, so TIME is allowed.
var gcra = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call("GET", key) or "0")
  if tat - now > wait then
    wait = tat - now
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i])
  redis.call("SET", key, string.format("%.0f", now + interval), "PX", math.ceil(interval / 1000) + 1)
end
return 0
`)
