# The public entry: HTTPS on 443 to the gateway's tasks (HTTP on 80 redirects). The idle timeout
# is what a quiet subscription WebSocket may last before the client reconnects.

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  internal           = false
  subnets            = var.subnet_ids
  security_groups    = [var.security_group_id]
  idle_timeout       = 3600

  drop_invalid_header_fields = true
  enable_deletion_protection = true
}

resource "aws_lb_target_group" "gateway" {
  name        = "${var.name}-gateway"
  port        = var.target_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  # Endpoint removal before SIGTERM: the gateway exits within 10 s of it anyway.
  deregistration_delay = 15

  # /health/live, not /health/ready: the gateway's readiness also fails while any one subgraph
  # is down, and taking every gateway out for that would turn a partial outage into a total one
  # (the same reasoning as its Kubernetes probes).
  health_check {
    path                = "/health/live"
    matcher             = "200"
    interval            = 10
    timeout             = 3
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
