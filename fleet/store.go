package fleet

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// Store returns the fleet's shared store.Store. Each operation is one
// Redis command, or one MULTI transaction, so it is atomic across
// replicas; a Redis failure comes back wrapping ErrUnavailable.
func (f *Fleet) Store() store.Store { return redisStore{f} }

type redisStore struct{ f *Fleet }

func (s redisStore) Get(ctx context.Context, key string) ([]byte, error) {
	s.f.trips.Store.Add(1)
	v, err := s.f.rdb.Get(ctx, s.f.key(key)).Bytes()
	return v, notFound(err)
}

func (s redisStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	s.f.trips.Store.Add(1)
	return unavailable(s.f.rdb.Set(ctx, s.f.key(key), value, ttl).Err())
}

func (s redisStore) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	s.f.trips.Store.Add(1)
	ok, err := s.f.rdb.SetNX(ctx, s.f.key(key), value, ttl).Result()
	return ok, unavailable(err)
}

func (s redisStore) Take(ctx context.Context, key string) ([]byte, error) {
	s.f.trips.Store.Add(1)
	v, err := s.f.rdb.GetDel(ctx, s.f.key(key)).Bytes()
	return v, notFound(err)
}

func (s redisStore) Delete(ctx context.Context, key string) error {
	s.f.trips.Store.Add(1)
	return unavailable(s.f.rdb.Del(ctx, s.f.key(key)).Err())
}

func (s redisStore) Push(ctx context.Context, key string, value []byte, keep int, ttl time.Duration) error {
	s.f.trips.Store.Add(1)
	k := s.f.key(key)
	_, err := s.f.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, k, value)
		p.LTrim(ctx, k, 0, int64(keep)-1)
		if ttl > 0 {
			p.PExpire(ctx, k, ttl)
		} else {
			p.Persist(ctx, k)
		}
		return nil
	})
	return unavailable(err)
}

func (s redisStore) List(ctx context.Context, key string, n int) ([][]byte, error) {
	s.f.trips.Store.Add(1)
	out := [][]byte{}
	if n <= 0 {
		return out, nil
	}
	vals, err := s.f.rdb.LRange(ctx, s.f.key(key), 0, int64(n)-1).Result()
	if err != nil {
		return nil, unavailable(err)
	}
	for _, v := range vals {
		out = append(out, []byte(v))
	}
	return out, nil
}

func notFound(err error) error {
	if errors.Is(err, redis.Nil) {
		return store.ErrNotFound
	}
	return unavailable(err)
}
