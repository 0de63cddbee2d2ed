package sandbox

// Routes and stores of the areas that later work fills in.
