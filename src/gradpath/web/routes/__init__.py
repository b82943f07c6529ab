"""Page routes and their JSON twins, one module per noun."""
