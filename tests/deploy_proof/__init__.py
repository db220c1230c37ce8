"""The deploy proof: what each principal must do, checked against what its policies allow, offline."""
