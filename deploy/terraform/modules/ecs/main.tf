# The six processes as ECS Fargate services of one image (one tag per service, built once by
# CI), found by each other through Cloud Map (<service>.<name>.internal), the gateway behind the
# load balancer, each scaling on CPU, with a one-off task definition for the migrations.

locals {
  namespace = "${var.name}.internal"
  subgraphs = [for name in keys(var.services) : name if name != "gateway"]
  url       = { for name, s in var.services : name => "http://${name}.${local.namespace}:${s.port}" }

  # Environment per service (README "Configuration"); secrets come separately, below.
  common_env = {
    NODE_ENV                  = "production"
    LOG_LEVEL                 = "info"
    APOLLO_TELEMETRY_DISABLED = "1"
  }
  subgraph_env = merge(local.common_env, {
    # RDS requires TLS; its certificate is signed by the RDS CA, which Node does not carry.
    PGSSLMODE              = "no-verify"
    CUSTOMERS_INTERNAL_URL = local.url["customers"]
    FLIGHTS_INTERNAL_URL   = local.url["flights"]
    PAYMENTS_INTERNAL_URL  = local.url["payments"]
  })
  env = {
    gateway = merge(
      local.common_env,
      { for name in local.subgraphs : "${upper(name)}_URL" => "${local.url[name]}/graphql" },
      {
        SUPERGRAPH_FILE = "/tmp/supergraph.graphql"
        # One proxy in front: the load balancer.
        TRUST_PROXY  = "1"
        CORS_ORIGINS = join(",", var.cors_origins)
      },
    )
    customers     = local.subgraph_env
    flights       = merge(local.subgraph_env, { FLIGHTS_SEED_DAYS = "0" })
    bookings      = local.subgraph_env
    payments      = merge(local.subgraph_env, { PAYMENT_PROVIDER_URL = var.payment_provider_url })
    notifications = local.subgraph_env
    migrate       = local.subgraph_env
  }

  # Which keys of which secret each service reads: every process the app secret, the subgraphs
  # the data stores, customers the signing key, notifications the providers.
  secret_keys = {
    app                    = ["SERVICE_SECRET", "JWT_PUBLIC_KEY", "AGENT_EMAIL", "AGENT_PASSWORD"]
    datastores             = ["POSTGRES_URL", "REDIS_URL", "AMQP_URL"]
    jwt-signing            = ["JWT_PRIVATE_KEY"]
    notification-providers = ["SMTP_URL", "SMS_PROVIDER_URL", "SMS_PROVIDER_API_KEY", "PUSH_PROVIDER_URL", "PUSH_PROVIDER_API_KEY"]
  }
  service_secrets = {
    gateway       = ["app"]
    customers     = ["app", "datastores", "jwt-signing"]
    flights       = ["app", "datastores"]
    bookings      = ["app", "datastores"]
    payments      = ["app", "datastores"]
    notifications = ["app", "datastores", "notification-providers"]
    migrate       = ["app", "datastores"]
  }

  command = {
    # `exec` so that node, not sh, receives SIGTERM.
    gateway       = ["sh", "-c", "node scripts/compose.ts && exec node gateway/src/main.ts"]
    customers     = ["node", "subgraphs/customers/src/main.ts"]
    flights       = ["node", "subgraphs/flights/src/main.ts"]
    bookings      = ["node", "subgraphs/bookings/src/main.ts"]
    payments      = ["node", "subgraphs/payments/src/main.ts"]
    notifications = ["node", "subgraphs/notifications/src/main.ts"]
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name = local.namespace
  vpc  = var.vpc_id
}

resource "aws_service_discovery_service" "this" {
  for_each = var.services

  name = each.key

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this.id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  # ECS reports task health; a stopped task leaves DNS at once.
  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(concat(keys(var.services), ["migrate"]))

  name              = "/ecs/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
}

# One execution role per service, allowed to read only that service's secrets. The tasks get no
# task role: the processes call no AWS API.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  for_each = toset(concat(keys(var.services), ["migrate"]))

  name               = "${var.name}-${each.key}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each = aws_iam_role.execution

  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "read_secrets" {
  for_each = aws_iam_role.execution

  name = "read-secrets"
  role = each.value.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [for secret in local.service_secrets[each.key] : var.secret_arns[secret]]
    }]
  })
}

resource "aws_ecs_task_definition" "service" {
  for_each = var.services

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The gateway writes the composed supergraph here; the root filesystem is read-only.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name      = each.key
    image     = "${var.image_registry}/airline-${each.key}:${var.image_tag}"
    command   = local.command[each.key]
    essential = true
    user      = "1000:1000"

    readonlyRootFilesystem = true
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp" }]
    portMappings           = [{ containerPort = each.value.port, protocol = "tcp" }]

    environment = [for key, value in local.env[each.key] : { name = key, value = value }]
    secrets = flatten([
      for secret in local.service_secrets[each.key] : [
        for key in local.secret_keys[secret] : { name = key, valueFrom = "${var.secret_arns[secret]}:${key}::" }
      ]
    ])

    # Liveness only: a process whose dependency is down is not restarted for it.
    healthCheck = {
      command     = ["CMD", "node", "-e", "fetch('http://127.0.0.1:${each.value.port}/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 120
    }
    # SIGTERM: in-flight work finishes and the process exits within 10 s.
    stopTimeout = 30

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this[each.key].name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
}

resource "aws_ecs_service" "this" {
  for_each = var.services

  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.service[each.key].arn
  launch_type     = "FARGATE"
  desired_count   = each.value.min_instances

  # Rolling: new tasks start before old ones stop; a release whose tasks never get healthy is
  # rolled back.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.service_security_group_ids[each.key]]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this[each.key].arn
  }

  dynamic "load_balancer" {
    for_each = each.key == "gateway" ? [var.gateway_target_group_arn] : []

    content {
      target_group_arn = load_balancer.value
      container_name   = each.key
      container_port   = each.value.port
    }
  }

  health_check_grace_period_seconds = each.key == "gateway" ? 120 : null

  # The autoscaler owns the count once running.
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "this" {
  for_each = var.services

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = each.value.min_instances
  # Subgraphs: each task holds ~15 PostgreSQL connections; keep the sum under max_connections.
  max_capacity = each.value.max_instances
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = aws_appautoscaling_target.this

  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 70
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Run before a rollout (`aws ecs run-task`, outputs in the root module): creates and migrates
# every database, then exits. The services also migrate at boot under an advisory lock.
resource "aws_ecs_task_definition" "migrate" {
  family                   = "${var.name}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution["migrate"].arn

  container_definitions = jsonencode([{
    name                   = "migrate"
    image                  = "${var.image_registry}/airline-migrate:${var.image_tag}"
    command                = ["node", "scripts/migrate.ts"]
    essential              = true
    user                   = "1000:1000"
    readonlyRootFilesystem = true

    environment = [for key, value in local.env["migrate"] : { name = key, value = value }]
    secrets = flatten([
      for secret in local.service_secrets["migrate"] : [
        for key in local.secret_keys[secret] : { name = key, valueFrom = "${var.secret_arns[secret]}:${key}::" }
      ]
    ])

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this["migrate"].name
        awslogs-region        = var.region
        awslogs-stream-prefix = "migrate"
      }
    }
  }])
}
