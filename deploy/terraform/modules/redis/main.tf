# ElastiCache Redis: a primary and a replica in another zone with automatic failover, encrypted
# in transit (rediss://) and at rest, with an auth token and daily snapshots. Seat holds live
# here, so losing the primary must not lose them.

resource "random_password" "auth" {
  length = 48
  # Spliced into REDIS_URL; ElastiCache tokens also refuse some punctuation.
  special = false
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "${var.name}: seat holds, caches, rate limits, pub/sub"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379

  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [var.security_group_id]

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = random_password.auth.result

  snapshot_retention_limit = var.snapshot_retention_days
  apply_immediately        = false
}
