# RDS PostgreSQL, Multi-AZ (a standby in another zone, automatic failover), encrypted, with
# point-in-time recovery. The services create their own databases at first boot (database per
# service), as the master user.

resource "random_password" "master" {
  length = 32
  # Spliced into POSTGRES_URL: letters and digits only.
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name   = var.name
  family = "postgres${split(".", var.engine_version)[0]}"

  # Connections are encrypted (the services set PGSSLMODE).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # The services' statement and idle-in-transaction bounds are per connection; this is the
  # server's backstop for sessions that vanish.
  parameter {
    name  = "tcp_keepalives_idle"
    value = "30"
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.allocated_storage_gb * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  username             = "airline"
  password             = random_password.master.result
  db_subnet_group_name = aws_db_subnet_group.this.name
  parameter_group_name = aws_db_parameter_group.this.name

  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  multi_az               = true

  backup_retention_period   = var.backup_retention_days
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"
  copy_tags_to_snapshot     = true

  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  auto_minor_version_upgrade      = true
}
