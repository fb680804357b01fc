-- A claim's own token beside the worker's name. A worker runs several lanes: when one lane's lease ran
-- out (a starved process) and another lane of the same worker claimed the row again, the first lane's
-- later writes (marking it sending, taking the mark back, deferring it) matched the owner alone and
-- undid the second lane's send in flight — which was then sent again. Every write after the claim now
-- names the claim, so a stale lane finds nothing to change (found by test/chaos, SIGKILLs with 3 s leases).
alter table messages add column lease_token bigint;
