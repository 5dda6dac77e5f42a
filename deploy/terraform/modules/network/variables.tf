variable "name" {
  description = "Prefix of resource names."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range (a /16: public subnets are /24s, private ones /20s)."
  type        = string
}

variable "az_count" {
  description = "Availability zones to use."
  type        = number

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3: the data stores need two zones for Multi-AZ."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway shared by every zone."
  type        = bool
  default     = false
}
