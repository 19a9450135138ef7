// placeholder until real tests land
