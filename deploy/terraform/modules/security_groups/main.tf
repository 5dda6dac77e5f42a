# Who may open a connection to whom, in one place: the load balancer to the gateway, each
# subgraph from the gateway and the services that call its internal endpoints, the data stores
# from the subgraphs only. The same rules as deploy/k8s/base/network-policies.yaml; the services
# then check credentials per endpoint (README "Security").

locals {
  # (callee, caller) pairs from each service's callers.
  calls = merge([
    for callee, s in var.services : {
      for caller in s.callers : "${caller}->${callee}" => { callee = callee, caller = caller }
    }
  ]...)
  # (store, client) pairs: PostgreSQL also admits the migration task.
  store_ports = { postgres = 5432, redis = 6379, rabbitmq = 5671 }
  store_clients = merge([
    for store, port in local.store_ports : {
      for client in var.data_store_clients : "${client}->${store}" => { store = store, client = client, port = port }
    }
  ]...)
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public HTTPS to the gateway"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

# Port 80 only redirects to HTTPS.
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway" {
  security_group_id            = aws_security_group.alb.id
  referenced_security_group_id = aws_security_group.service["gateway"].id
  ip_protocol                  = "tcp"
  from_port                    = var.services["gateway"].port
  to_port                      = var.services["gateway"].port
}

resource "aws_security_group" "service" {
  for_each = var.services

  name        = "${var.name}-${each.key}"
  description = "The ${each.key} service"
  vpc_id      = var.vpc_id
}

# Services reach out freely: the card processor, SMTP/SMS/push providers, Secrets Manager, the
# image registry, CloudWatch; and each other and the stores, as the ingress rules allow.
resource "aws_vpc_security_group_egress_rule" "service_all" {
  for_each = aws_security_group.service

  security_group_id = each.value.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_alb" {
  security_group_id            = aws_security_group.service["gateway"].id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.services["gateway"].port
  to_port                      = var.services["gateway"].port
}

resource "aws_vpc_security_group_ingress_rule" "calls" {
  for_each = local.calls

  security_group_id            = aws_security_group.service[each.value.callee].id
  referenced_security_group_id = aws_security_group.service[each.value.caller].id
  ip_protocol                  = "tcp"
  from_port                    = var.services[each.value.callee].port
  to_port                      = var.services[each.value.callee].port
  description                  = "${each.value.caller} calls ${each.value.callee}"
}

# The one-off migration task: PostgreSQL only.
resource "aws_security_group" "migrate" {
  name        = "${var.name}-migrate"
  description = "The database migration task"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "migrate_all" {
  security_group_id = aws_security_group.migrate.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_security_group" "store" {
  for_each = local.store_ports

  name        = "${var.name}-${each.key}"
  description = "${each.key}: the subgraphs only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "store_clients" {
  for_each = local.store_clients

  security_group_id            = aws_security_group.store[each.value.store].id
  referenced_security_group_id = aws_security_group.service[each.value.client].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "${each.value.client} uses ${each.value.store}"
}

resource "aws_vpc_security_group_ingress_rule" "postgres_from_migrate" {
  security_group_id            = aws_security_group.store["postgres"].id
  referenced_security_group_id = aws_security_group.migrate.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "the migration task"
}
