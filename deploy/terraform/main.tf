# The supergraph on AWS with managed everything: ECS Fargate for the six processes, RDS
# PostgreSQL, ElastiCache Redis, Amazon MQ for RabbitMQ, an ALB in front of the gateway,
# Secrets Manager for every secret and CloudWatch for logs and alarms. The Kubernetes manifests
# (deploy/k8s) are the other way to run it; both run the same image.

locals {
  name = "${var.name}-${var.environment}"

  # Every process, its port and who may call it: the same rules as
  # deploy/k8s/base/network-policies.yaml, as security groups (modules/security_groups).
  services = {
    gateway       = { port = 4000, callers = [] }
    customers     = { port = 4001, callers = ["gateway", "notifications"] }
    flights       = { port = 4002, callers = ["gateway", "bookings", "notifications"] }
    bookings      = { port = 4003, callers = ["gateway"] }
    payments      = { port = 4004, callers = ["gateway", "bookings"] }
    notifications = { port = 4005, callers = ["gateway"] }
  }
  subgraphs = [for name in keys(local.services) : name if name != "gateway"]
}

module "network" {
  source = "./modules/network"

  name               = local.name
  cidr_block         = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

module "security_groups" {
  source = "./modules/security_groups"

  name     = local.name
  vpc_id   = module.network.vpc_id
  services = local.services
  # Only the subgraphs reach the data stores (and the migration task PostgreSQL).
  data_store_clients = local.subgraphs
}

module "postgres" {
  source = "./modules/postgres"

  name              = local.name
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.security_groups.postgres_security_group_id
  instance_class    = var.postgres_instance_class
}

module "redis" {
  source = "./modules/redis"

  name              = local.name
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.security_groups.redis_security_group_id
  node_type         = var.redis_node_type
}

module "rabbitmq" {
  source = "./modules/rabbitmq"

  name              = local.name
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.security_groups.rabbitmq_security_group_id
  instance_type     = var.rabbitmq_instance_type
}

module "secrets" {
  source = "./modules/secrets"

  # The same names the Kubernetes production overlay reads (airline/production/app, ...).
  prefix                 = "${var.name}/${var.environment}"
  postgres_url           = module.postgres.url
  redis_url              = module.redis.url
  amqp_url               = module.rabbitmq.url
  agent_email            = var.agent_email
  agent_password         = var.agent_password
  notification_providers = var.notification_providers
}

module "alb" {
  source = "./modules/alb"

  name              = local.name
  vpc_id            = module.network.vpc_id
  subnet_ids        = module.network.public_subnet_ids
  security_group_id = module.security_groups.alb_security_group_id
  certificate_arn   = var.certificate_arn
  target_port       = local.services.gateway.port
}

module "ecs" {
  source = "./modules/ecs"

  name                       = local.name
  region                     = var.region
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  services                   = { for name, s in local.services : name => merge(s, var.services[name]) }
  service_security_group_ids = module.security_groups.service_security_group_ids
  gateway_target_group_arn   = module.alb.target_group_arn
  image_registry             = var.image_registry
  image_tag                  = var.image_tag
  secret_arns                = module.secrets.secret_arns
  payment_provider_url       = var.payment_provider_url
  cors_origins               = var.cors_origins
  log_retention_days         = var.log_retention_days
}

module "observability" {
  source = "./modules/observability"

  name                    = local.name
  alarm_email             = var.alarm_email
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  ecs_cluster_name        = module.ecs.cluster_name
  ecs_service_names       = module.ecs.service_names
  postgres_instance_id    = module.postgres.instance_id
  redis_replication_group = module.redis.replication_group_id
  rabbitmq_broker_name    = module.rabbitmq.broker_name
}
