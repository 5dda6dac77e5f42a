# Every secret the services read, in Secrets Manager (one JSON object per secret; ECS injects
# single keys as environment variables). Generated here: the service-credential secret and the
# RS256 key pair for customer tokens. The secrets are in Terraform's state too: keep the state
# encrypted and access-controlled (versions.tf).

resource "random_password" "service_secret" {
  length  = 48
  special = false
}

# Customers signs tokens with the private key (PKCS#8, as jose imports it); every process
# verifies them with the public key.
resource "tls_private_key" "jwt" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

locals {
  secrets = {
    # Every process.
    app = {
      SERVICE_SECRET = random_password.service_secret.result
      JWT_PUBLIC_KEY = tls_private_key.jwt.public_key_pem
      AGENT_EMAIL    = var.agent_email
      AGENT_PASSWORD = var.agent_password
    }
    # Customers only.
    jwt-signing = {
      JWT_PRIVATE_KEY = tls_private_key.jwt.private_key_pem_pkcs8
    }
    # The subgraphs and the migration task.
    datastores = {
      POSTGRES_URL = var.postgres_url
      REDIS_URL    = var.redis_url
      AMQP_URL     = var.amqp_url
    }
    # Notifications only.
    notification-providers = var.notification_providers
  }
}

resource "aws_secretsmanager_secret" "this" {
  # Spelled out: keys of a map holding sensitive values cannot drive for_each.
  for_each = toset(["app", "jwt-signing", "datastores", "notification-providers"])

  name                    = "${var.prefix}/${each.key}"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "this" {
  for_each = aws_secretsmanager_secret.this

  secret_id     = each.value.id
  secret_string = jsonencode(local.secrets[each.key])
}
